/**
 * metadata.json's version lives once, in schemas/metadata.json, with the steps that bring an
 * older file to it: the page's reader (src/saving/metadata.ts), predict.py from the source
 * tree and the predict.py a model zip ships (the schema written into it) migrate alike, and
 * refuse a newer version with the same sentence.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/dsp/settings';
import { METADATA_VERSION, MetadataError, migrateMetadata, parseMetadata } from '../../../src/saving/metadata';
import { PREDICT_PY } from '../../../src/generated/python-files';
import { pythonWithNumpy } from '../../support/python';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
const schema = JSON.parse(readFileSync(join(root, 'schemas/metadata.json'), 'utf8'));

/** A model's metadata.json as the lab wrote it before it had a version. */
const OLD = {
  format: 'gtzan-lab-model', genres: ['blues', 'jazz'], features: { ...DEFAULT_SETTINGS }, inputShape: [130, 13], standardization: null,
  model: { lstmUnits: [64, 64], denseUnits: 64, dropout: 0.3, learningRate: 1e-4 },
  training: { epochs: 30, batchSize: 32, seed: 1, standardize: true, epochsCompleted: 30, backend: 'wasm' },
  split: { mode: 'clip', seed: 1, testFraction: 0.25, validationFraction: 0.2, trainClips: 6, validationClips: 2, testClips: 4, leftOutClips: 0,
    trainSegments: 60, validationSegments: 20, testSegments: 40, testClipNames: ['blues/a.wav'], sizes: 'by-clip split' },
  metrics: { split: 'by clip', testSegmentAccuracy: 0.5, testClipAccuracy: 0.75, testLoss: 1.2 },
  createdAt: '2026-01-01T00:00:00.000Z',
};

/** What predict.py in `cwd` makes of each metadata.json: its migration, or its refusal. */
async function pythonMigrates(cwd: string, values: unknown[]): Promise<unknown[]> {
  const script = [
    'import json, sys, predict',
    'out = []',
    'for m in json.loads(sys.stdin.read()):',
    '    try:',
    '        out.append({"ok": predict.migrate_metadata(m)})',
    '    except predict.ModelError as e:',
    '        out.append({"error": str(e)})',
    'print(json.dumps(out))',
  ].join('\n');
  const child = run(pythonWithNumpy(), ['-c', script], { cwd });
  child.child.stdin!.end(JSON.stringify(values));
  return JSON.parse((await child).stdout);
}

function nodeMigrates(values: unknown[]): unknown[] {
  return values.map((m) => {
    try {
      return { ok: migrateMetadata(m) };
    } catch (e) {
      if (!(e instanceof MetadataError)) throw e;
      return { error: e.message };
    }
  });
}

describe('metadata.json versions', { timeout: 60_000 }, () => {
  let shipped: string;
  beforeAll(() => {
    shipped = mkdtempSync(join(tmpdir(), 'gtzan-metadata-versions-'));
    writeFileSync(join(shipped, 'predict.py'), PREDICT_PY);
  });

  it('writers write the version of schemas/metadata.json', () => {
    expect(METADATA_VERSION).toBe(schema.properties.version.const);
  });

  it('an old metadata.json (no version) comes out of the migration the same in TypeScript, predict.py and the shipped predict.py', async () => {
    const values = [OLD, { ...OLD, version: 1 }, { ...OLD, metrics: null }, { ...OLD, model: { ...OLD.model, architecture: 'cnn' } }];
    const node = nodeMigrates(values);
    expect(node[0]).toEqual({
      ok: { ...OLD, version: METADATA_VERSION, model: { ...OLD.model, architecture: 'lstm' }, split: { ...OLD.split, warnings: [] },
        metrics: { ...OLD.metrics, testClips: 4 } },
    });
    expect(node[1]).toEqual(node[0]);
    expect((node[3] as { ok: typeof OLD }).ok.model).toEqual({ ...OLD.model, architecture: 'cnn' });
    expect(OLD).not.toHaveProperty('version');
    expect(await pythonMigrates(join(root, 'python'), values)).toEqual(node);
    expect(await pythonMigrates(shipped, values)).toEqual(node);
    expect(parseMetadata(OLD)).toEqual((node[0] as { ok: unknown }).ok);
  });

  it('a metadata.json of this version passes unchanged; a newer or malformed version is refused alike', async () => {
    const current = (nodeMigrates([OLD])[0] as { ok: unknown }).ok;
    const values = [current, { ...OLD, version: METADATA_VERSION + 1 }, { ...OLD, version: '2' }, { ...OLD, version: 0 }];
    const node = nodeMigrates(values);
    expect(node[0]).toEqual({ ok: current });
    expect(node[1]).toEqual({ error: `metadata.json is version ${METADATA_VERSION + 1}, written by a newer GTZAN Lab; this one reads versions up to ${METADATA_VERSION}` });
    expect(node[2]).toEqual({ error: `metadata.json "version" must be a whole number from 1 to ${METADATA_VERSION}` });
    expect(node[3]).toEqual(node[2]);
    expect(await pythonMigrates(join(root, 'python'), values)).toEqual(node);
    expect(await pythonMigrates(shipped, values)).toEqual(node);
  });
});
