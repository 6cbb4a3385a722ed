/**
 * npm run bench:train — ms per training batch of 32 of every architecture the lab trains (the
 * recipe's LSTM, the 2-D CNN, the 1-D CNN, 16 filters) on the recipe's [130, 13] MFCCs and on
 * [130, 64] log-mel, on one thread and on every core, in one run: in Node (tfjs-wasm, the lab's
 * WebAssembly kernels, helpers on worker threads) and in headless Chromium (the page's own
 * training worker and its helper workers, through self-check.html?batches), beside the PyTorch
 * CPU anchors of ../shared/anchors (torch_cnn_speed.py, torch_lstm_speed.py; 1 thread and every
 * core), with the ratios; and, where Chromium's WebGPU adapter is a real GPU, WebGPU and WebGL
 * columns (one line saying why they are absent otherwise). The thread counts take turns for
 * BENCH_ROUNDS rounds, so a slow spell of the machine hits them all; medians are printed.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { nodeReplicas } from '../src/cli/node-replicas';
import { cnnKernelFlavour } from '../src/model/engines/simd-cnn/cnn-kernel';
import { msPerBatch } from '../src/model/training/estimate';
import { BATCH_CASES, caseConfig, type BatchTiming } from '../src/self-check/batch-timing';
import { median, selfCheck } from './self-check';
import { useNodeWasmBinaries } from '../src/model/backend/node-wasm-paths';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Batches a measurement, after two warm-up batches. */
const RUNS = Number(process.env.BENCH_RUNS ?? 8);
const cores = availableParallelism();
const threadCounts = [...new Set([1, cores])];
const day = new Date().toISOString().slice(0, 10);

useNodeWasmBinaries();
await tf.setBackend('wasm');
await tf.ready();

// Node: the same cases and rounds as the page's.
const node: BatchTiming[] = BATCH_CASES.flatMap((c) => threadCounts.map((threads) => ({ ...c, threads, ms: [] as number[] })));
for (let round = 0; round < ROUNDS; round++) {
  for (const t of node) {
    const config = caseConfig(t);
    t.ms.push(await msPerBatch(config, 32, RUNS, true, t.threads > 1 ? nodeReplicas(t.threads - 1, config, 'wasm') : []));
    console.log(`node ${t.architecture} [130, ${t.coefficients}], ${t.threads} thread(s): ${t.ms.at(-1)!.toFixed(1)} ms`);
  }
}
const nodeFlavour = cnnKernelFlavour();

const { results, version } = await selfCheck(`batches=${ROUNDS}&runs=${RUNS}`);
const page = results.batches ?? [];

/** The anchor's lines, or why there are none. */
function anchor(name: string): string[] {
  const script = resolve(import.meta.dirname, `../../shared/anchors/${name}`);
  if (!existsSync(script)) return [`(no ${script})`];
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
      return execFileSync(python, [script], { encoding: 'utf8', timeout: 900_000 }).trim().split('\n');
    } catch {
      // next
    }
  }
  return ['(python3 cannot import torch here: apt-get install -y python3-torch to run the anchors)'];
}
const cnnAnchor = anchor('torch_cnn_speed.py');
const lstmAnchor = anchor('torch_lstm_speed.py');

/** PyTorch's median ms for a case and thread count, from the anchors' lines. */
function torchMs(architecture: string, coefficients: number, threads: number): number | undefined {
  const lines = architecture === 'lstm' ? (coefficients === 13 ? lstmAnchor : []) : cnnAnchor;
  const line = lines.find((l) => l.includes(`${threads} thread(s)`) && (architecture === 'lstm' || l.includes(`${architecture} on [130, ${coefficients}]`)));
  const m = line && /median ([\d.]+) ms/.exec(line);
  return m ? Number(m[1]) : undefined;
}

/** Which BLAS Debian's torch links (its GEMMs, and so the LSTM anchor, run several times slower on the reference BLAS). */
function blas(): string {
  try {
    return realpathSync('/usr/lib/x86_64-linux-gnu/libblas.so.3');
  } catch {
    return 'unknown';
  }
}

const f = (v: number | undefined, d = 1) => (v === undefined ? '—' : v.toFixed(d));
console.log(`\nms per training batch of 32, medians of ${ROUNDS} rounds of ${RUNS} batches, ${cores} cores, ${day}`);
console.log(`Node ${process.version} (CNN kernel: ${nodeFlavour}), Chromium ${version} (relaxed SIMD), PyTorch: ../shared/anchors (BLAS: ${blas()})`);
console.log('model   input      threads    Node  Chromium  PyTorch 1t  PyTorch all  Chromium ÷ PyTorch 1t  Node ÷ PyTorch 1t  × own 1 thread (Chromium)');
for (const c of BATCH_CASES) {
  for (const threads of threadCounts) {
    const n = median(node.find((t) => t.architecture === c.architecture && t.coefficients === c.coefficients && t.threads === threads)!.ms);
    const mine = page.find((t) => t.architecture === c.architecture && t.coefficients === c.coefficients && t.threads === threads);
    const p = mine ? median(mine.ms) : undefined;
    const one = page.find((t) => t.architecture === c.architecture && t.coefficients === c.coefficients && t.threads === 1);
    const t1 = torchMs(c.architecture, c.coefficients, 1);
    const tAll = torchMs(c.architecture, c.coefficients, cores);
    console.log(`${c.architecture.padEnd(7)} [130, ${String(c.coefficients).padEnd(2)}]  ${String(threads).padStart(7)} ${f(n).padStart(7)} ${f(p).padStart(9)} ${f(t1).padStart(11)} ${f(tAll).padStart(12)}`
      + ` ${(p && t1 ? `${(p / t1).toFixed(2)}×` : '—').padStart(22)} ${(t1 ? `${(n / t1).toFixed(2)}×` : '—').padStart(18)} ${(p && one ? `${(median(one.ms) / p).toFixed(2)}×` : '—').padStart(26)}`);
  }
}
const gpu = results.gpu;
if (!gpu || gpu.skipped) {
  console.log(`\nNo WebGPU or WebGL column: ${gpu?.skipped ?? 'the page did not report its adapter'}; GPU timings mean something only on a real GPU (GTZAN_CHROMIUM_GPU=vulkan, docs/benchmarks.md).`);
} else {
  console.log(`\nOn the GPU (${gpu.adapter?.vendor} ${gpu.adapter?.architecture} ${gpu.adapter?.description ?? ''}), one thread, tfjs's layers; WASM = Chromium on every core above:`);
  console.log('model   input       WebGPU    WebGL  WASM all  WASM ÷ WebGPU  WebGPU ÷ PyTorch all');
  for (const c of BATCH_CASES) {
    const ms = (backend: string) => {
      const t = gpu.batches.find((b) => b.backend === backend && b.architecture === c.architecture && b.coefficients === c.coefficients);
      return t ? median(t.ms) : undefined;
    };
    const wasm = page.find((t) => t.architecture === c.architecture && t.coefficients === c.coefficients && t.threads === cores);
    const w = wasm ? median(wasm.ms) : undefined;
    const g = ms('webgpu');
    const tAll = torchMs(c.architecture, c.coefficients, cores);
    console.log(`${c.architecture.padEnd(7)} [130, ${String(c.coefficients).padEnd(2)}] ${f(g).padStart(8)} ${f(ms('webgl')).padStart(8)} ${f(w).padStart(9)}`
      + ` ${(g && w ? `${(w / g).toFixed(2)}×` : '—').padStart(14)} ${(g && tAll ? `${(g / tAll).toFixed(2)}×` : '—').padStart(20)}`);
  }
}
console.log('\nPyTorch anchors, same run:');
for (const line of [...cnnAnchor, ...lstmAnchor]) console.log(`  ${line}`);
process.exit(0);
