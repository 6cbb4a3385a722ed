import { recognizeGtzan } from '../dataset/gtzan';
import { wilson } from './intervals';
import type { Split, SplitInput } from '../model/data/split';

/**
 * Below this many test clips a test accuracy says little: at 20 clips one clip is 5 points and
 * the 95 % interval of a 50 % accuracy spans 30–70 %.
 */
export const FEW_TEST_CLIPS = 20;

const SIDES = ['train', 'validation', 'test'] as const;

/** Names in a list a sentence can hold: "blues, jazz and 5 more". */
function namesOf(names: readonly string[], most = 6): string {
  if (names.length <= most) return names.join(', ');
  return `${names.slice(0, most).join(', ')} and ${names.length - most} more`;
}

/** The genres with no segment on each side. */
export function missingGenres(d: SplitInput, s: Split): Record<(typeof SIDES)[number], string[]> {
  const out = { train: [] as string[], validation: [] as string[], test: [] as string[] };
  const present = new Set<number>();
  for (const i of d.labels.keys()) present.add(d.labels[i]);
  for (const side of SIDES) {
    const seen = new Set<number>();
    for (const i of s[side]) seen.add(d.labels[i]);
    out[side] = d.genres.filter((_, g) => present.has(g) && !seen.has(g));
  }
  return out;
}

/**
 * What makes this split's numbers weak, in sentences, before any training: few test clips, a
 * genre absent from a side, and for part of GTZAN, which split fits better. Empty when the split
 * is sound (full GTZAN's fault-filtered split gives none).
 */
export function splitWarnings(d: SplitInput, s: Split): string[] {
  const out: string[] = [];
  const testClips = new Set(s.test.map((i) => d.clipOf[i])).size;
  if (testClips > 0 && testClips < FEW_TEST_CLIPS) {
    const half = wilson(Math.round(testClips / 2), testClips);
    out.push(
      `Only ${testClips} test clip${testClips === 1 ? '' : 's'}: one clip moves the clip accuracy by ${(100 / testClips).toFixed(0)} points, ` +
        `and a 50 % accuracy's 95 % interval would span ${(100 * half.low).toFixed(0)}–${(100 * half.high).toFixed(0)} %. Use more clips, or a split that holds out more.`,
    );
  }
  const missing = missingGenres(d, s);
  if (missing.train.length) out.push(`No training clip of ${namesOf(missing.train)}: the model cannot learn ${missing.train.length === 1 ? 'it' : 'them'}.`);
  if (missing.validation.length && s.validation.length) {
    out.push(`Validation has no clip of ${namesOf(missing.validation)}: validation accuracy, early stopping and tuning judge without ${missing.validation.length === 1 ? 'it' : 'them'}.`);
  }
  if (missing.test.length && s.test.length) out.push(`No test clip of ${namesOf(missing.test)}: ${missing.test.length === 1 ? 'its' : 'their'} accuracy is not measured (shown as —).`);
  const better = betterSplit(d, s, out.length > 0);
  if (better) out.push(better);
  return out;
}

/** For part of GTZAN on a GTZAN split that leaves the sides thin: what it leaves, and what fits better. */
function betterSplit(d: SplitInput, s: Split, weak: boolean): string | undefined {
  const mode = s.options.mode;
  if (mode !== 'filtered' && mode !== 'artist') return undefined;
  const r = recognizeGtzan(d.clipPaths);
  if (!r.recognized || r.present >= 1000) return undefined;
  if (mode === 'filtered' && (weak || s.leftOut.length * 4 > d.clipPaths.length)) {
    const used = d.clipPaths.length - s.leftOut.length;
    return `These ${r.present} of GTZAN's 1 000 clips leave the fault-filtered split ${used} clips (${r.sides.train} train / ${r.sides.validation} validation / ${r.sides.test} test)`
      + ` and ${s.leftOut.length} left out: the by-artist split uses every clip and still keeps each artist on one side.`;
  }
  if (mode === 'artist' && weak) {
    return `These ${r.present} of GTZAN's 1 000 clips are too few for whole artists to fill every side: the by-clip split fills them, but an artist may then be on two sides, which flatters the test accuracy.`;
  }
  return undefined;
}
