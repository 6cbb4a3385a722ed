import { md5 } from 'hash-wasm';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashClips } from '../../../src/features/clip-hashes';
import { WorkerPool } from '../../../src/features/pool';
import type { WorkerRequest, WorkerResponse } from '../../../src/features/protocol';
import { FeatureStore, hashKey } from '../../../src/storage/feature-store';

/** A worker that hashes as the real one does, answering in a later task. */
function hashingWorker(): Worker {
  const w = {
    onmessage: null as ((e: MessageEvent<WorkerResponse>) => void) | null,
    onerror: null,
    postMessage(req: WorkerRequest) {
      if (req.kind !== 'md5') throw new Error('only md5 here');
      void md5(new Uint8Array(req.bytes)).then((hex) => setTimeout(() => w.onmessage?.({ data: { kind: 'md5', id: req.id, ok: true, md5: hex } } as MessageEvent<WorkerResponse>), 1));
    },
    terminate() {},
  };
  return w as unknown as Worker;
}

describe('hashing clips for GTZAN\'s dataset check', () => {
  it('hashes every clip with several reads in flight, keeps the hashes, and does not hash a kept clip again', async () => {
    const clips = Array.from({ length: 9 }, (_, i) => {
      const bytes = new Uint8Array(1000 + i).fill(i);
      return { path: `g/blues/blues.0000${i}.wav`, item: new File([bytes], `blues.0000${i}.wav`, { lastModified: 5 }), bytes };
    });
    const store = new FeatureStore(undefined);
    const pool = new WorkerPool(2, hashingWorker);
    const progress: number[] = [];
    const got = await hashClips(clips, { pool, store }, (done) => progress.push(done));
    for (const c of clips) expect(got.get(c.path)).toBe(createHash('md5').update(c.bytes).digest('hex'));
    expect(progress[progress.length - 1]).toBe(9);
    const kept = await store.hashes();
    expect(kept.get(hashKey(clips[3].path, clips[3].item.size, 5))).toBe(got.get(clips[3].path));
    // A second pass finds them all kept: no job reaches a worker.
    const idle = new WorkerPool(1, () => ({ postMessage() { throw new Error('hashed again'); }, terminate() {} }) as unknown as Worker);
    const again = await hashClips(clips, { pool: idle, store });
    expect(again).toEqual(got);
  });
});
