import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers of src/, lowest first (docs/architecture.md explains each). A file may import from
 * its own folder and from folders of a lower rank, never from a higher one or from another
 * folder of the same rank: generated/ (modules written by scripts/) and rpc/ (talking to workers)
 * are the bottom, then dsp; the panels and the CLIs the top.
 */
const RANKS: [folder: string, rank: number][] = [
  ['generated', -1],
  ['rpc', -1],
  ['dsp', 0],
  ['dataset', 1],
  ['model/backend', 2],
  ['model/kernels', 3],
  ['model/data', 4],
  ['model/optimizers', 4],
  ['model/architectures', 5],
  ['model/engines', 6],
  ['model/engines/layers', 7],
  ['model/engines/simd-lstm', 7],
  ['model/engines/simd-cnn', 7],
  ['model/parallel', 8],
  ['saving', 8],
  ['evaluation', 9],
  ['explain', 10],
  ['tuning', 10],
  ['model/training', 11],
  ['storage', 12],
  ['offline', 12],
  ['features', 13],
  ['app', 14],
  ['ui/shared', 15],
  ['ui/dataset', 16],
  ['ui/training', 17],
  ['ui/tuning', 18],
  ['ui/classify', 18],
  ['ui/runs', 18],
  ['ui', 19],
  ['cli', 19],
  ['self-check', 20],
  ['', 21],
];
const SRC = resolve(__dirname, '../../src');
const MAX_FILES_IN_A_FOLDER = 16;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** The layer a file belongs to: the longest folder of RANKS that holds it. */
function layerOf(file: string): [string, number] {
  const rel = relative(SRC, dirname(file)).split('\\').join('/');
  let best: [string, number] = ['', 21];
  for (const [folder, rank] of RANKS) {
    if ((rel === folder || rel.startsWith(`${folder}/`) || folder === '') && folder.length >= best[0].length) best = [folder, rank];
  }
  return best;
}

const sources = walk(SRC).filter((f) => /\.(ts|mjs)$/.test(f));

describe('the layout of src/', () => {
  it('every import points down the layers (or stays in its folder)', () => {
    const wrong: string[] = [];
    const spec = /(?:from\s+|import\s*\(\s*|new URL\(\s*|^import\s+)'(\.{1,2}\/[^'?]+)/gm;
    for (const file of sources) {
      const [folder, rank] = layerOf(file);
      for (const m of readFileSync(file, 'utf8').matchAll(spec)) {
        const target = resolve(dirname(file), m[1]);
        if (!target.startsWith(SRC)) continue;
        const [tFolder, tRank] = layerOf(target.endsWith('.ts') || target.endsWith('.mjs') ? target : `${target}.ts`);
        if (tFolder !== folder && tRank >= rank) wrong.push(`${relative(SRC, file)} → ${m[1]} (${folder || 'src'} may not import ${tFolder || 'src'})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it(`no folder holds more than ${MAX_FILES_IN_A_FOLDER} source files directly, and every folder has a layer`, () => {
    const counts = new Map<string, number>();
    for (const file of sources) counts.set(dirname(file), (counts.get(dirname(file)) ?? 0) + 1);
    const crowded = [...counts].filter(([, n]) => n > MAX_FILES_IN_A_FOLDER).map(([d, n]) => `${relative(SRC, d)}: ${n}`);
    expect(crowded).toEqual([]);
    const unranked = [...counts.keys()].map((d) => relative(SRC, d)).filter((d) => d !== '' && layerOf(join(SRC, d, 'x.ts'))[0] === '');
    expect(unranked).toEqual([]);
  });

  it('docs/architecture.md gives every layer its rank and names every source file, so it cannot drift', () => {
    const doc = readFileSync(resolve(__dirname, '../../docs/architecture.md'), 'utf8');
    const block = doc.slice(doc.indexOf('```\nsrc/'), doc.indexOf('```', doc.indexOf('```\nsrc/') + 3));
    const documented: [string, number][] = [];
    for (const line of block.split('\n')) {
      const m = /^ {2}((?:[\w/-]+\/,?\s+)+)(-?\d+)\s/.exec(line);
      if (m) for (const folder of m[1].split(/[\s,]+/).filter(Boolean)) documented.push([folder.replace(/\/$/, ''), Number(m[2])]);
    }
    const sort = (list: [string, number][]) => [...list].sort(([a], [b]) => a.localeCompare(b));
    expect(sort(documented)).toEqual(sort(RANKS.filter(([folder]) => folder !== '')));
    const unnamed = sources.map((f) => relative(SRC, f)).filter((f) => !doc.includes(basename(f)));
    expect(unnamed).toEqual([]);
  });
});
