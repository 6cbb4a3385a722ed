/**
 * Paints a frames × rows matrix (row-major by frame) onto a canvas, time left to right and row 0
 * at the bottom, each value scaled between the matrix's own lowest and highest into `colourOf`.
 */
export function paintMatrix(ctx: CanvasRenderingContext2D, m: Float32Array, frames: number, rows: number,
  colourOf: (x: number) => readonly [number, number, number]): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of m) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const img = ctx.createImageData(frames, rows);
  for (let t = 0; t < frames; t++) {
    for (let r = 0; r < rows; r++) {
      const [R, G, B] = colourOf((m[t * rows + r] - lo) / (hi - lo || 1));
      const p = 4 * ((rows - 1 - r) * frames + t);
      img.data[p] = R;
      img.data[p + 1] = G;
      img.data[p + 2] = B;
      img.data[p + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}
