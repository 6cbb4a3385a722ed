/**
 * Arrays sent between threads every step (a share's weights, rows and labels one way, its
 * gradients the other) go in one buffer that is moved, not copied, and comes back to be filled
 * again: in steady state nothing is allocated. A fresh buffer per step cost Chromium more than
 * the step itself for the small CNNs (its new pages are faulted in one by one: ~3 ms a megabyte).
 */
export class BufferPool {
  private readonly spare: ArrayBuffer[] = [];

  /** A buffer of at least `bytes`: a spare one that fits, or a new one. */
  take(bytes: number): ArrayBuffer {
    const i = this.spare.findIndex((b) => b.byteLength >= bytes && b.byteLength <= 2 * bytes + 1024);
    return i >= 0 ? this.spare.splice(i, 1)[0] : new ArrayBuffer(bytes);
  }

  /** Buffers back from the other thread, to be filled again. */
  give(buffers: readonly ArrayBuffer[] | undefined): void {
    for (const b of buffers ?? []) if (b.byteLength > 0) this.spare.push(b);
  }
}

/** `arrays` copied into one buffer from `pool`, as views of it (nulls stay null). */
export function pack<T extends (Float32Array | null)[]>(arrays: T, pool: BufferPool): { views: T; buffer: ArrayBuffer } {
  const total = arrays.reduce((n, a) => n + (a?.length ?? 0), 0);
  const buffer = pool.take(4 * total);
  let at = 0;
  const views = arrays.map((a) => {
    if (!a) return null;
    const view = new Float32Array(buffer, 4 * at, a.length);
    view.set(a);
    at += a.length;
    return view;
  }) as T;
  return { views, buffer };
}
