import { describe, expect, it } from 'vitest';
import { LatestWriter } from '../../../src/storage/latest-writer';

/** A write that ends when the test says so, recording what it was given. */
function gatedWrites() {
  const written: number[] = [];
  const gates: (() => void)[] = [];
  const write = (v: number) => new Promise<void>((resolve) => gates.push(() => { written.push(v); resolve(); }));
  const release = async () => {
    gates.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { written, gates, write, release };
}

describe('LatestWriter', () => {
  it('runs one write at a time and, of the values offered meanwhile, writes only the newest', async () => {
    const g = gatedWrites();
    const w = new LatestWriter(g.write);
    for (let v = 1; v <= 5; v++) w.offer(v);
    expect(g.gates).toHaveLength(1);
    await g.release();
    expect(g.gates).toHaveLength(1);
    await g.release();
    await w.flush();
    expect(g.written).toEqual([1, 5]);
    w.offer(6);
    await g.release();
    await w.flush();
    expect(g.written).toEqual([1, 5, 6]);
  });

  it('close drops what waits and resolves after the write in flight; later offers are ignored', async () => {
    const g = gatedWrites();
    const w = new LatestWriter(g.write);
    w.offer(1);
    w.offer(2);
    let closed = false;
    const closing = w.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 0));
    expect(closed).toBe(false);
    await g.release();
    await closing;
    w.offer(3);
    expect(g.gates).toHaveLength(0);
    expect(g.written).toEqual([1]);
  });

  it('a failed write does not stop the next one', async () => {
    const written: number[] = [];
    const w = new LatestWriter(async (v: number) => {
      if (v === 1) throw new Error('quota');
      written.push(v);
    });
    w.offer(1);
    await w.flush();
    w.offer(2);
    await w.flush();
    expect(written).toEqual([2]);
  });
});
