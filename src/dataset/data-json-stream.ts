import { assembleDataJson, DataJsonError, firstShape, segmentValues, type DataJsonParts } from './data-json';
import type { FeatureSet } from './feature-set';

const KEYS: ReadonlySet<string> = new Set(['mapping', 'labels', 'files', 'settings', 'mfcc']);

/**
 * Reads a data.json of any size in pieces. One `JSON.parse` of the whole text cannot: V8's longest
 * string is ~512 MiB, and GTZAN with more coefficients or segments passes that. The reader walks
 * the top-level object by hand (brackets, strings, commas) and hands each small part to
 * `JSON.parse`: "mapping", "labels", "files", "settings" whole, and "mfcc" one segment at a
 * time, each turned into float32 at once, so the text of at most one segment is held.
 */
export class DataJsonReader {
  private readonly parts: DataJsonParts = { mapping: undefined, labels: undefined, files: undefined, settings: undefined, segments: [], shape: undefined };
  /** Nesting of [ and { outside strings; the top-level object's inside is depth 1. */
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Where the walk is at depth 1: before a key, in one, before ':', before a value, in one, after one. */
  private at: 'start' | 'key' | 'colon' | 'value' | 'in-value' | 'after' | 'end' = 'start';
  private key = '';
  private captured: string[] = [];
  private capturing = false;
  /** Inside "mfcc"'s list: each element (a segment) is captured and parsed on its own. */
  private inMfcc = false;
  private seen = 0;
  private readonly keys = new Set<string>();

  /** Feeds the next piece of text. */
  push(chunk: string): void {
    let from = this.capturing ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === 0x5c) this.escaped = true; // backslash
        else if (ch === 0x22) {
          this.inString = false;
          if (this.at === 'key') {
            this.captured.push(chunk.slice(from, i + 1));
            this.key = String(this.parse(this.take(), "a key"));
            // JSON.parse would keep the last of two, the old reader appended both: neither is what the maker meant.
            if (KEYS.has(this.key) && this.keys.has(this.key)) throw new DataJsonError(`data.json holds "${this.key}" twice: keep one`);
            this.keys.add(this.key);
            from = -1;
            this.at = 'colon';
          }
        }
        continue;
      }
      if (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) continue;
      switch (this.at) {
        case 'start':
          if (ch !== 0x7b) this.fail(i, 'data.json must hold a JSON object');
          this.depth = 1;
          this.at = 'key';
          break;
        case 'key':
          if (ch === 0x7d && this.depth === 1) this.close();
          else if (ch === 0x22) {
            this.inString = true;
            this.capturing = true;
            from = i;
          } else this.fail(i, 'expected a key');
          break;
        case 'colon':
          if (ch !== 0x3a) this.fail(i, 'expected ":"');
          this.at = 'value';
          break;
        case 'value':
          this.at = 'in-value';
          if (this.key === 'mfcc' && ch === 0x5b) {
            this.inMfcc = true;
            this.depth = 2;
            break;
          }
          this.capturing = this.key !== 'mfcc' || ch !== 0x5b;
          from = i;
          i--; // the value's first character is read again as part of it
          break;
        case 'in-value':
          if (this.inMfcc && this.depth === 2 && ch !== 0x5b && ch !== 0x5d && ch !== 0x2c) {
            throw new DataJsonError(`segment ${this.parts.segments.length} of "mfcc" must be a list of frames × coefficients`);
          }
          if (ch === 0x22) {
            this.inString = true;
          } else if (ch === 0x5b || ch === 0x7b) {
            if (this.inMfcc && this.depth === 2) {
              this.capturing = true;
              from = i;
            }
            this.depth++;
          } else if (ch === 0x5d || ch === 0x7d) {
            this.depth--;
            if (this.inMfcc && this.depth === 2) {
              this.captured.push(chunk.slice(from, i + 1));
              this.segment(this.take());
              from = -1;
            } else if (this.inMfcc && this.depth === 1) {
              this.inMfcc = false;
              this.at = 'after';
            } else if (this.depth === 0) {
              // The top-level object closed right after a primitive value.
              this.captured.push(chunk.slice(from, i));
              this.store(this.take());
              this.close();
              from = -1;
            }
          } else if (ch === 0x2c && this.depth === 1) {
            this.captured.push(chunk.slice(from, i));
            this.store(this.take());
            from = -1;
            this.at = 'key';
          }
          if (this.at === 'in-value' && !this.inMfcc && this.depth === 1 && (ch === 0x5d || ch === 0x7d)) {
            this.captured.push(chunk.slice(from, i + 1));
            this.store(this.take());
            from = -1;
            this.at = 'after';
          }
          break;
        case 'after':
          if (ch === 0x2c) this.at = 'key';
          else if (ch === 0x7d) this.close();
          else this.fail(i, 'expected "," or "}"');
          break;
        case 'end':
          this.fail(i, 'unexpected text after the end of the object');
      }
    }
    if (this.capturing && from >= 0) this.captured.push(chunk.slice(from));
    this.seen += chunk.length;
  }

  /** Checks the whole and returns the features; throws DataJsonError naming what is wrong. */
  end(): FeatureSet {
    if (this.at !== 'end') throw new DataJsonError('data.json ends before its object is closed: is the file cut short?');
    return assembleDataJson(this.parts);
  }

  private take(): string {
    const text = this.captured.join('');
    this.captured = [];
    this.capturing = false;
    return text;
  }

  private close(): void {
    this.depth = 0;
    this.at = 'end';
  }

  private parse(text: string, what: string): unknown {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new DataJsonError(`${what} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  }

  private store(text: string): void {
    const k = this.key;
    if (k === 'mapping' || k === 'labels' || k === 'files' || k === 'settings') this.parts[k] = this.parse(text, `"${k}"`);
    else if (k === 'mfcc') this.parse(text, '"mfcc"'); // not a list: assemble says "no segments"
  }

  private segment(text: string): void {
    const i = this.parts.segments.length;
    const m = this.parse(text, `segment ${i} of "mfcc"`);
    this.parts.shape ??= firstShape(m);
    this.parts.segments.push(segmentValues(i, m, this.parts.shape));
  }

  private fail(i: number, why: string): never {
    throw new DataJsonError(`data.json is not valid JSON at character ${this.seen + i + 1}: ${why}`);
  }
}

/** Reads a data.json from a stream of text pieces (a File's stream, a Node read stream). */
export async function readDataJson(pieces: AsyncIterable<string>): Promise<FeatureSet> {
  const reader = new DataJsonReader();
  for await (const piece of pieces) reader.push(piece);
  return reader.end();
}
