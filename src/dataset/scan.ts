/**
 * Turns the relative paths of a dropped folder into labelled clips: the label of a clip is the
 * name of the folder that holds it. Pure, so the page, the workers and the CLI agree.
 */

/** Read by src/dsp in a worker. */
export const NATIVE_AUDIO = new Set(['wav', 'wave', 'au', 'snd']);
/** Handed to the browser's own audio decoder first. */
export const BROWSER_AUDIO = new Set(['mp3', 'ogg', 'oga', 'opus', 'flac', 'm4a', 'aac', 'webm', 'mp4']);

export interface ScanInput<T> {
  /** Relative path with '/' separators, e.g. "genres_original/blues/blues.00000.wav". */
  path: string;
  item: T;
}

export interface ScannedClip<T> {
  path: string;
  genre: string;
  item: T;
  /** 'native' when src/dsp decodes it, 'browser' when it needs the browser's decoder. */
  decoder: 'native' | 'browser';
}

export interface SetAside {
  path: string;
  reason: string;
}

export interface ScanResult<T> {
  /** Sorted by name: the label of a clip is its genre's index here. */
  genres: string[];
  clips: ScannedClip<T>[];
  setAside: SetAside[];
}

export function extensionOf(path: string): string {
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** The genre a clip's path gives it: the name of the folder that holds it. */
export function genreOfPath(path: string): string {
  return basename(dirname(path));
}

/**
 * Paths arrive with '/' between their parts (the browser's webkitRelativePath and entry paths; the
 * CLI joins the platform's own parts with '/'). A backslash is a character of a name — legal on
 * Linux and macOS — never a separator.
 */
export function normalisePath(path: string): string {
  return path.replace(/^\/+/, '').replace(/\/{2,}/g, '/');
}

/** Characters that change how a name looks without being seen: zero-width, direction overrides, soft hyphen… */
// biome-ignore lint/suspicious/noMisleadingCharacterClass: each joiner and selector is listed to be found on its own
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/gu;

/** A name with its invisible characters shown, e.g. "jazz⟨U+200B⟩". */
export function visibleName(name: string): string {
  return name.replace(INVISIBLE, (c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/**
 * Warnings about genre names a person cannot tell apart: names equal once Unicode-normalised
 * (NFKC), stripped of invisible characters and lower-cased, and names holding invisible or
 * direction-changing characters. Each such genre trains as a class of its own.
 */
export function genreNameNotes(genres: readonly string[]): string[] {
  const notes: string[] = [];
  const groups = new Map<string, string[]>();
  for (const g of genres) {
    const skeleton = g.normalize('NFKC').replace(INVISIBLE, '').toLowerCase();
    groups.set(skeleton, [...(groups.get(skeleton) ?? []), g]);
  }
  for (const same of groups.values()) {
    if (same.length < 2) continue;
    const differ = same.some((g) => g.normalize('NFC') === g) && same.some((g) => g.normalize('NFC') !== g) ? ' (one is written in decomposed Unicode)' : '';
    notes.push(
      `${same.map((g) => `“${visibleName(g)}”`).join(', ')} look alike but are different folder names${differ}: each is a genre of its own. Rename the folders if they are one genre.`,
    );
  }
  for (const g of genres) {
    if (visibleName(g) !== g) notes.push(`“${visibleName(g)}” holds invisible or direction-changing characters, shown here as ⟨U+…⟩: it may display as a different name.`);
  }
  return notes;
}

export function scanPaths<T>(inputs: ScanInput<T>[], opts: { browserDecoding?: boolean } = {}): ScanResult<T> {
  const browserDecoding = opts.browserDecoding ?? true;
  const setAside: SetAside[] = [];
  const audio: { path: string; item: T; decoder: 'native' | 'browser' }[] = [];
  for (const input of inputs) {
    const path = normalisePath(input.path);
    const name = basename(path);
    const ext = extensionOf(path);
    if (path.split('/').some((part) => part.startsWith('.'))) {
      setAside.push({ path, reason: 'hidden file' });
    } else if (NATIVE_AUDIO.has(ext)) {
      audio.push({ path, item: input.item, decoder: 'native' });
    } else if (BROWSER_AUDIO.has(ext)) {
      if (browserDecoding) audio.push({ path, item: input.item, decoder: 'browser' });
      else setAside.push({ path, reason: `.${ext} needs a browser's audio decoder; only WAV and AU are read here` });
    } else {
      setAside.push({ path, reason: ext ? `not an audio file (.${ext})` : `not an audio file (${name} has no extension)` });
    }
  }
  // A folder that holds genre folders is a container, not a genre: clips lying directly in it
  // (or loose files with no folder at all) have no label.
  const containers = new Set<string>();
  for (const a of audio) {
    let dir = dirname(dirname(a.path));
    while (dir) {
      containers.add(dir);
      dir = dirname(dir);
    }
  }
  const clips: ScannedClip<T>[] = [];
  for (const a of audio) {
    const parent = dirname(a.path);
    if (!parent) {
      setAside.push({ path: a.path, reason: 'not inside a genre folder' });
    } else if (containers.has(parent)) {
      setAside.push({ path: a.path, reason: `at the top of ${parent}/, not inside a genre folder` });
    } else {
      clips.push({ path: a.path, genre: genreOfPath(a.path), item: a.item, decoder: a.decoder });
    }
  }
  clips.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const genres = [...new Set(clips.map((c) => c.genre))].sort();
  return { genres, clips, setAside };
}

/** A message for a dataset that cannot be trained on, or undefined when it can. */
export function datasetProblem(scan: { genres: string[]; clips: unknown[] }): string | undefined {
  if (scan.clips.length === 0) return 'No audio clips found: drop a folder with one sub-folder of clips per genre (e.g. genres_original/blues/…).';
  if (scan.genres.length < 2) {
    return `Only one genre found (${scan.genres[0]}): a classifier needs at least two genre folders, each holding its clips.`;
  }
  return undefined;
}
