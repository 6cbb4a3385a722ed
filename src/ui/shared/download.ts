import type { ModelFiles } from '../../saving/artifacts';
import type { ModelMetadata } from '../../saving/metadata';

/** Saves a Blob through a temporary object URL: nothing leaves the machine. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Yields to the browser so long loops never block input for more than a frame or so. */
export function nextFrame(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}

/**
 * Downloads a model as the lab's zip (model.json, weights.bin, metadata.json, predict.py,
 * README.txt). The zip writer and the Python text load on first use, not with the page.
 */
export async function downloadModel(m: { files: ModelFiles; metadata: ModelMetadata }): Promise<void> {
  const { zipModel } = await import('../../saving/model-zip');
  const stamp = m.metadata.createdAt.slice(0, 19).replace(/[:T]/g, '-');
  downloadBlob(new Blob([zipModel(m.files, m.metadata) as BlobPart], { type: 'application/zip' }), `gtzan-model-${stamp}.zip`);
}
