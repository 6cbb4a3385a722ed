/** What a worker's own side needs of its port: a Web Worker's `self` or Node's `parentPort`. */
export interface WorkerPort {
  postMessage(message: unknown, transfer?: Transferable[]): void;
}

/**
 * The worker's side of a RequestPool: each request is handled, and answered with its response
 * and the buffers to move; a handler that throws is answered by `failed` with the error's message,
 * so a bad file fails that file, not the worker. Returns the function to call with each request.
 */
export function serveRequests<Req extends { id: number }, Res>(
  port: WorkerPort, handle: (request: Req) => Promise<{ msg: Res; transfer: Transferable[] }> | { msg: Res; transfer: Transferable[] },
  failed: (request: Req, message: string) => Res,
): (request: Req) => void {
  return (request) => {
    Promise.resolve().then(() => handle(request)).then(
      ({ msg, transfer }) => port.postMessage(msg, transfer),
      (err: unknown) => port.postMessage(failed(request, err instanceof Error ? err.message : String(err))),
    );
  };
}
