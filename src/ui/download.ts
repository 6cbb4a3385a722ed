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
