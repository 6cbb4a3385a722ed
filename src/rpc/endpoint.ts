import { workerFailure } from './worker-failure';

/**
 * The page's or the CLI's side of one worker, whatever kind: a Web Worker or a Node
 * worker_threads Worker. A failure reaches the listener as a sentence that names the worker
 * (`what`), never as an event object, so every client reports it the same way.
 */
export interface Endpoint {
  /** Posts a message, moving (not copying) the buffers in `transfer`. */
  post(message: unknown, transfer?: Transferable[]): void;
  /**
   * Calls `onMessage` with each message's data and `onFailure` when the worker fails; `ended`
   * says the worker is gone (a Node thread that threw), so nothing more may be sent to it.
   */
  listen(onMessage: (data: unknown) => void, onFailure: (message: string, ended: boolean) => void): void;
  /** Ends the worker at once (a Node thread: the promise settles when it has stopped). */
  end(): Promise<unknown>;
}

/** A Web Worker (or anything with its onmessage, onerror, postMessage and terminate). */
export function webWorkerEndpoint(worker: Worker, what: string): Endpoint {
  return {
    post: (message, transfer = []) => worker.postMessage(message, transfer),
    listen(onMessage, onFailure) {
      let answered = false;
      worker.onmessage = (e: MessageEvent) => {
        answered = true;
        onMessage(e.data);
      };
      // An error with no message is a worker that can run nothing more (its script did not
      // load, or it crashed); one with a message is an exception it threw and outlived.
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        onFailure(workerFailure(what, e, answered), !e.message);
      };
    },
    end: async () => worker.terminate(),
  };
}

/** What this module needs of node:worker_threads' Worker (the type stays out of the page's code). */
export interface NodeWorkerLike {
  postMessage(value: unknown, transfer?: readonly never[]): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  terminate(): Promise<number>;
}

/** A Node worker thread: an error it throws ends it, so the failure comes with `ended`. */
export function nodeWorkerEndpoint(worker: NodeWorkerLike, what: string): Endpoint {
  return {
    post: (message, transfer = []) => worker.postMessage(message, transfer as never[]),
    listen(onMessage, onFailure) {
      worker.on('message', onMessage);
      worker.on('error', (e: Error) => onFailure(`${what} failed: ${e.message}`, true));
    },
    end: async () => worker.terminate(),
  };
}
