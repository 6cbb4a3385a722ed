import type { StageReply, StageReport, StageRun, StageStart } from '../engines/simd-cnn/cnn-share';
import type { ShareInput } from '../engines/sharded-trainer';
import type { ShareRequest, ShareResult } from '../engines/simd-lstm/lstm-trainer';
import type { Endpoint } from '../../rpc/endpoint';
import { RequestPool } from '../../rpc/request-pool';
import { serveRequests, type WorkerPort } from '../../rpc/serve';
import { BufferPool, pack } from './buffer-pool';
import type { Replica, ThreadReplica } from './replica';

/** What a replica thread is asked: a share's gradient, a CNN share's stage, or a block's class probabilities. */
export type ReplicaJob = ({ id: number } & (
  | { task: 'gradients'; req: ShareRequest }
  | { task: 'predict'; req: ShareInput }
  | { task: 'stage-begin'; req: StageStart }
  | { task: 'stage-next'; req: StageReply }
  | { task: 'stage-run'; req: StageRun }
)) & {
  /** Buffers the replica sent before, given back to be filled again (buffer-pool.ts). */
  spares?: ArrayBuffer[];
};

type Answer = ShareResult | Float32Array | StageReport;

/** What a replica thread answers to a job, with the job's own buffer given back once it is done with it. */
export type ReplicaReply = { id: number; ok: true; result: Answer; spares?: ArrayBuffer[] } | { id: number; ok: false; error: string };

/** A request's arrays (weights, state, rows, labels) in one pooled buffer, as views of it. */
function packRequest<R extends ShareInput | StageStart | StageRun>(req: R, pool: BufferPool): { req: R; buffer: ArrayBuffer } {
  const state = 'state' in req ? req.state ?? [] : [];
  const labels = 'labels' in req ? [req.labels] : [];
  const { views, buffer } = pack([...req.weights, ...state, req.x, ...labels], pool);
  const w = req.weights.length;
  const s = state.length;
  const out = { ...req, weights: views.slice(0, w), x: views[w + s] } as R;
  if (s) (out as ShareInput).state = views.slice(w, w + s);
  if (labels.length) (out as ShareRequest).labels = views[w + s + 1];
  return { req: out, buffer };
}

/** A failure of a whole thread is for good: its jobs and every later one fail with it, never wait. */
function forGood(endpoint: Endpoint): Endpoint {
  return { ...endpoint, listen: (onMessage, onFailure) => endpoint.listen(onMessage, (message) => onFailure(message, true)) };
}

/**
 * A helper thread (ThreadReplica) over its worker's endpoint, on rpc's RequestPool: each job gets
 * an id, and its reply settles its promise. Each job's arrays travel in one buffer that is moved to
 * the replica and comes back with its answer, the answer's in one the replica moves here and gets
 * back with the next job.
 */
export function channelWorker(endpoint: Endpoint): ThreadReplica {
  const jobs = new RequestPool<ReplicaJob, ReplicaReply>([forGood(endpoint)], (job, error) => ({ id: job.id, ok: false, error }), Number.POSITIVE_INFINITY);
  const pool = new BufferPool();
  /** The replica's answer buffers, read by now, to give back with the next job. */
  let held: ArrayBuffer[] = [];
  let next = 0;
  const ask = async (job: Omit<ReplicaJob, 'id' | 'spares'>, buffer?: ArrayBuffer): Promise<Answer> => {
    const spares = held;
    held = [];
    const reply = await jobs.run({ id: next++, ...job, spares } as ReplicaJob, buffer ? [buffer, ...spares] : spares);
    if (!reply.ok) throw new Error(reply.error);
    pool.give(reply.spares);
    return reply.result;
  };
  /** An answer whose arrays live in the replica's buffer: that buffer goes back with the next job. */
  const keep = <T extends Answer>(answer: Promise<Answer>): Promise<T> => answer.then((a) => {
    const arrays =
      a instanceof Float32Array
        ? [a]
        : 'groups' in a
          ? a.groups.flat()
          : 'grads' in a
            ? (a.grads as (Float32Array | null)[] | (Float32Array | null)[][]).flat()
            : [];
    const buffer = arrays.find((g) => g)?.buffer as ArrayBuffer | undefined;
    if (buffer && !held.includes(buffer)) held.push(buffer);
    return a as T;
  });
  return {
    gradients: (req) => {
      const p = packRequest(req, pool);
      return keep<ShareResult>(ask({ task: 'gradients', req: p.req }, p.buffer));
    },
    predict: (req) => {
      const p = packRequest(req, pool);
      return keep<Float32Array>(ask({ task: 'predict', req: p.req }, p.buffer));
    },
    stageBegin: (req) => {
      const p = packRequest(req, pool);
      return keep<StageReport>(ask({ task: 'stage-begin', req: p.req }, p.buffer));
    },
    stageNext: (req) => keep<StageReport>(ask({ task: 'stage-next', req })),
    stageRun: (req) => {
      const p = packRequest(req, pool);
      return keep<StageReport>(ask({ task: 'stage-run', req: p.req }, p.buffer));
    },
    dispose: () => void jobs.terminate(),
  };
}

type Answered = { msg: ReplicaReply; transfer: ArrayBuffer[] };

/**
 * The replica thread's side, on rpc's serveRequests: answers each job, its arrays copied into a
 * buffer of its pool and moved, and gives back the job's buffer once the job no longer reads it
 * (a CNN step reads its start's weights and labels until its last stage). A job that throws is
 * answered as that job's failure. Returns the function to call with each job.
 */
export function serveReplica(port: WorkerPort, replica: Promise<Replica>): (job: ReplicaJob) => void {
  const server = new ReplicaServer(replica);
  return serveRequests<ReplicaJob, ReplicaReply>(
    port,
    (job) => server.answer(job),
    (job, message) => ({ id: job.id, ok: false, error: `a training thread failed: ${message}` }),
  );
}

class ReplicaServer {
  private readonly pool = new BufferPool();
  private stepBuffer: ArrayBuffer | undefined;

  constructor(private readonly replica: Promise<Replica>) {}

  async answer(job: ReplicaJob): Promise<Answered> {
    this.pool.give(job.spares);
    const inputBuffer = 'req' in job && 'x' in job.req ? (job.req.x.buffer as ArrayBuffer) : undefined;
    const r = await this.replica;
    if (job.task === 'stage-begin' || job.task === 'stage-next' || job.task === 'stage-run') {
      if (job.task !== 'stage-next') this.stepBuffer = inputBuffer;
      const result = job.task === 'stage-begin' ? r.stageBegin(job.req) : job.task === 'stage-run' ? r.stageRun(job.req) : r.stageNext(job.req);
      if (result.kind !== 'done') return { msg: { id: job.id, ok: true, result }, transfer: [] };
      // The filters' gradients are views into the kernel's memory: copied into a buffer of the pool, which moves.
      const { groups: grads, buffer } = packGroups(result.grads, this.pool);
      const spares = this.stepBuffer ? [this.stepBuffer] : [];
      this.stepBuffer = undefined;
      return { msg: { id: job.id, ok: true, result: { kind: 'done', grads }, spares }, transfer: [buffer, ...spares] };
    }
    const spares = inputBuffer ? [inputBuffer] : [];
    if (job.task === 'predict') {
      const { views, buffer } = pack([await r.predict(job.req)], this.pool);
      return { msg: { id: job.id, ok: true, result: views[0], spares }, transfer: [buffer, ...spares] };
    }
    const result = await r.gradients(job.req);
    const { groups, buffer } = packGroups(result.groups, this.pool);
    return { msg: { id: job.id, ok: true, result: { ...result, groups }, spares }, transfer: [buffer, ...spares] };
  }
}

/** Per-group gradients (each group the same list of weights) copied into one buffer of the pool, to move. */
function packGroups<T extends Float32Array | null>(groups: T[][], pool: BufferPool): { groups: T[][]; buffer: ArrayBuffer } {
  const { views, buffer } = pack(groups.flat(), pool);
  const width = groups[0]?.length ?? 0;
  return { groups: groups.map((_, g) => views.slice(g * width, (g + 1) * width)), buffer };
}
