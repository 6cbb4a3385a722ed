import type { GradientWorker, ShareRequest, ShareResult } from './data-parallel';
import type { Replica } from './replica';

/** What a replica thread answers to a share. */
export type ReplicaReply = { id: number; ok: true; result: ShareResult } | { id: number; ok: false; error: string };

/** A replica thread's side of the channel, the same over a Web Worker and a Node worker thread. */
export interface ReplicaPort {
  post(message: { id: number; req: ShareRequest }, transfer: ArrayBuffer[]): void;
  onReply(listener: (reply: ReplicaReply) => void): void;
  onError(listener: (error: Error) => void): void;
  terminate(): void;
}

/** A GradientWorker over a port: each share gets an id, and its reply settles its promise. */
export function channelWorker(port: ReplicaPort): GradientWorker {
  const waiting = new Map<number, { resolve: (r: ShareResult) => void; reject: (e: Error) => void }>();
  let next = 0;
  port.onReply((m) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.ok) w?.resolve(m.result);
    else w?.reject(new Error(`a training thread failed: ${m.error}`));
  });
  port.onError((e) => {
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  });
  return {
    gradients: (req) => new Promise<ShareResult>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      // The share's rows are its own copies: moved, not copied again.
      port.post({ id, req }, [req.x.buffer as ArrayBuffer, req.labels.buffer as ArrayBuffer]);
    }),
    dispose: () => port.terminate(),
  };
}

/** The replica thread's answer to one share, posted with its gradients moved, not copied. */
export async function answerShare(
  replica: Promise<Replica>, job: { id: number; req: ShareRequest }, post: (reply: ReplicaReply, transfer: ArrayBuffer[]) => void,
): Promise<void> {
  try {
    const result = await (await replica).gradients(job.req);
    post({ id: job.id, ok: true, result }, result.grads.map((g) => g.buffer as ArrayBuffer));
  } catch (e) {
    post({ id: job.id, ok: false, error: e instanceof Error ? e.message : String(e) }, []);
  }
}
