import { hashKey, type FeatureStore } from '../storage/feature-store';
import type { WorkerPool } from './pool';

/**
 * The MD5 of each clip's bytes, for GTZAN's dataset check. It runs after extraction, in the same
 * workers, reading each file again: hashing inside extraction cost about a quarter of its rate on
 * two cores (measured with bench:extract), and the features matter first. Hashes are kept, so a
 * clip is hashed once per browser; a file that cannot be read is left out (its extraction already
 * says why).
 */
export async function hashClips(
  clips: readonly { path: string; item: File }[],
  deps: { pool: WorkerPool; store: FeatureStore },
  onProgress: (done: number, total: number) => void = () => {},
  shouldStop: () => boolean = () => false,
): Promise<Map<string, string>> {
  const kept = await deps.store.hashes();
  const byPath = new Map<string, string>();
  const found = new Map<string, string>();
  const todo: { path: string; item: File; key: string }[] = [];
  for (const c of clips) {
    const key = hashKey(c.path, c.item.size, c.item.lastModified);
    const md5 = kept.get(key);
    if (md5) byPath.set(c.path, md5);
    else todo.push({ ...c, key });
  }
  let done = clips.length - todo.length;
  onProgress(done, clips.length);
  let next = 0;
  const lane = async () => {
    while (next < todo.length && !shouldStop()) {
      const id = next++;
      const c = todo[id];
      try {
        const bytes = await c.item.arrayBuffer();
        const r = await deps.pool.run({ kind: 'md5', id, bytes }, [bytes]);
        if (r.ok && r.kind === 'md5') {
          byPath.set(c.path, r.md5);
          found.set(c.key, r.md5);
        }
      } catch {
        // unreadable now: its extraction already reported why
      }
      onProgress(++done, clips.length);
    }
  };
  await Promise.all(Array.from({ length: 2 * deps.pool.size }, lane));
  if (found.size) await deps.store.putHashes(found);
  return byPath;
}
