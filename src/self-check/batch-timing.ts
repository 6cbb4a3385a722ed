import { REFERENCE_MODEL, type Architecture, type ModelConfig } from '../model/architectures/config';
import { askTrainer } from '../ui/shared/trainer-client';
import type { BackendChoice } from '../model/backend/backend';

/** Every architecture the lab trains, on the recipe's 13 MFCCs and on 64-band log-mel, at its default sizes (16 filters). */
export const BATCH_CASES: { architecture: Architecture; coefficients: number }[] = (['lstm', 'cnn', 'conv1d'] as const)
  .flatMap((architecture) => [13, 64].map((coefficients) => ({ architecture, coefficients })));

export interface BatchTiming {
  architecture: Architecture;
  coefficients: number;
  threads: number;
  /** ms per batch of 32, one figure per round. */
  ms: number[];
}

const never = new AbortController().signal;

export function caseConfig(c: { architecture: Architecture; coefficients: number }): ModelConfig {
  return { ...REFERENCE_MODEL, frames: 130, coefficients: c.coefficients, classes: 10, architecture: c.architecture, filters: 16 };
}

/**
 * ms per batch of 32 in the page's own training worker (WASM, the lab's fast kernels, unless
 * `backend` names another), on one thread and on `cores` threads, for every case, `rounds` times
 * with the thread counts taking turns, so a slow spell of the machine hits them all. `runs`
 * batches a measurement.
 */
export async function timeBatches(
  rounds: number,
  runs: number,
  cores: number,
  onEach?: (t: BatchTiming[]) => void,
  backend: BackendChoice = 'wasm',
): Promise<BatchTiming[]> {
  const out: BatchTiming[] = BATCH_CASES.flatMap((c) => [...new Set([1, cores])].map((threads) => ({ ...c, threads, ms: [] as number[] })));
  for (let r = 0; r < rounds; r++) {
    for (const t of out) {
      const e = await askTrainer(
        { type: 'estimate', config: caseConfig(t), batchSize: 32, backend, runs, threads: t.threads },
        'estimate',
        never,
      );
      t.ms.push(e.msPerBatch);
      onEach?.(out);
    }
  }
  return out;
}
