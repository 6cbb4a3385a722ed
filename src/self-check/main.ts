/**
 * The self-check page: the SIMD LSTM kernel vs tf.layers.lstm on each backend it runs on, and
 * optionally the speed of both on the reference model and of the two CNNs. Results also land in window.gtzanSelfCheck for scripts.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { REFERENCE_MODEL } from '../model/architectures/config';
import { registerLabKernels } from '../model/architectures/register-kernels';
import { cnnKernelFlavour, RELAXED_SIMD } from '../model/engines/simd-cnn/cnn-kernel';
import { CNN_CASES, compareCnnWithTfjs } from './cnn-check';
import { CONV_CASES } from './conv-cases';
import { msPerBatch } from '../model/training/estimate';
import { simdLstmUsable } from '../model/engines/simd-lstm/simd-lstm';
import { CASES, compareWithLayersLstm } from '../model/engines/simd-lstm/self-check';
import { useBundledWasm } from '../model/backend/wasm-paths';
import { timeBatches, type BatchTiming } from './batch-timing';
import { timeEpoch, timeGtzanRun, timeTrial, type EpochTiming, type RunTiming } from './epoch-timing';
import { strategies, timeStrategy, type StrategyTiming } from './trial-timing';
import { compareWebGpuWithCpu, WEBGPU_CASES, type WebGpuComparison } from './webgpu-check';
import { registerWebGpu, softwareAdapterReason, webgpuAdapter, type GpuAdapterFacts } from '../model/backend/webgpu';

registerLabKernels();

useBundledWasm();

interface BackendResult {
  backend: string;
  available: boolean;
  maxError?: number;
  pass?: boolean;
  /** Whether the WebAssembly SIMD LSTM kernel runs on this backend (WASM and CPU, where SIMD validates). */
  simdKernel?: boolean;
  /** The WebAssembly SIMD LSTM kernel (WASM and CPU backends only). */
  simdMs?: number;
  layersMs?: number;
  /** ms per batch of the convolutional networks by "<model> [frames, coefficients]": the fast CNN kernel, and tfjs's layers. */
  convMs?: Record<string, number>;
  convLayersMs?: Record<string, number>;
}



/** The fast CNN against tfjs-cpu, one case with one SIMD build. */
interface CnnResult {
  flavour: 'relaxed-simd' | 'simd';
  model: string;
  lossError: number;
  gradientError: number;
  probabilityError: number;
  pass: boolean;
}

declare global {
  interface Window {
    gtzanSelfCheck?: {
      done: boolean; results: BackendResult[]; cnn?: CnnResult[]; epochs?: EpochTiming[]; tuning?: StrategyTiming[]; batches?: BatchTiming[]; run?: RunTiming;
      /** ?webgpu: the adapter (absent where this browser has none) and the WebGPU engine against tfjs-cpu. */
      webgpu?: { adapter?: GpuAdapterFacts; cases: WebGpuComparison[] };
      /** ?batches: the WebGPU adapter, why it is left out of the timings (a software one), and the GPU backends' timings where it is not. */
      gpu?: { adapter?: GpuAdapterFacts; skipped?: string; batches: (BatchTiming & { backend: string })[] };
    };
  }
}

const TOL = 1e-4;
const status = document.getElementById('status')!;
const results = document.getElementById('results')!;
const params = new URLSearchParams(location.search);
const benchRuns = Number(params.get('bench')) || 0;
/** ?epochs=3 times a training epoch in the page's training worker instead: one thread, then every core, 3 times over. */
const epochRuns = Number(params.get('epochs')) || 0;
/** ?tune=4 times 4 tuning trials each way: one at a time on one thread, one at a time on every core, side by side. */
const tuneTrials = Number(params.get('tune')) || 0;
/** ?gtzan=30 times a full-GTZAN-sized run of the 2-D CNN on log-mel, 30 epochs, every core. */
const gtzanEpochs = Number(params.get('gtzan')) || 0;
/** ?batches=3 times a batch of every architecture on 13 and 64 coefficients in the training worker, one thread and every core, 3 rounds. */
const batchRounds = Number(params.get('batches')) || 0;
/** ?webgpu runs the WebGPU engine against tfjs-cpu, every architecture at small sizes. */
const webgpuCheck = params.has('webgpu');
/** ?simd=plain keeps the CNN kernel to plain SIMD where relaxed SIMD would run (to time both). */
if (params.get('simd') === 'plain') tf.env().set(RELAXED_SIMD, false);

const ALL_BACKENDS = ['webgl', 'wasm', 'cpu'];
/**
 * ?backends=webgl,wasm narrows the run (for quick measurements of one backend). Only the names
 * of backends are taken: the address is anyone's to write.
 */
const asked = params.get('backends')?.split(',');
const backends = asked?.filter((b) => ALL_BACKENDS.includes(b)) ?? ALL_BACKENDS;
const unknownBackends = asked?.filter((b) => !ALL_BACKENDS.includes(b)).length ?? 0;

/** Fills #results with a table; every cell is text, never markup. */
function showTable(headers: string[], rows: { cells: string[]; backend?: string; resultClass?: string }[]): void {
  const holder = document.createElement('div');
  results.replaceChildren(holder);
  showTableIn(holder, headers, rows, 3);
}

/** A table in `holder`, the cell in column `resultColumn` classed pass or fail. */
function showTableIn(holder: HTMLElement, headers: string[], rows: { cells: string[]; backend?: string; resultClass?: string }[], resultColumn: number): void {
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const h of headers) head.appendChild(document.createElement('th')).textContent = h;
  const body = table.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    if (r.backend) tr.dataset.backend = r.backend;
    r.cells.forEach((text, i) => {
      const td = tr.insertCell();
      td.textContent = text;
      if (i === resultColumn && r.resultClass) td.className = r.resultClass;
    });
  }
  holder.replaceChildren(table);
}

function render(rows: BackendResult[]): void {
  const fmt = (v?: number) => (v === undefined ? '—' : v.toFixed(0));
  const headers = ['Backend', 'SIMD LSTM kernel', 'Largest relative error', 'Result'];
  if (benchRuns) headers.push('SIMD kernel ms/batch', 'tf.layers.lstm ms/batch', 'Speed-up');
  showTable(headers, rows.map((r) => ({
    backend: r.backend,
    resultClass: r.pass ? 'pass' : 'fail',
    cells: [
      r.backend, r.available ? (r.simdKernel ? 'yes' : 'no (tfjs layers train the LSTM)') : 'not available here',
      r.maxError?.toExponential(2) ?? '—', r.available ? (r.pass ? 'pass' : 'FAIL') : '—',
      ...(benchRuns ? [fmt(r.simdMs), fmt(r.layersMs), r.layersMs && r.simdMs ? `${(r.layersMs / r.simdMs).toFixed(2)}×` : '—'] : []),
    ],
  })));
}

async function run(): Promise<void> {
  const rows: BackendResult[] = [];
  window.gtzanSelfCheck = { done: false, results: rows };
  for (const backend of backends) {
    status.textContent = `Checking ${backend}…`;
    let available = false;
    try {
      available = (await tf.setBackend(backend)) && tf.getBackend() === backend;
    } catch {
      available = false;
    }
    const row: BackendResult = { backend, available };
    rows.push(row);
    if (available) {
      row.simdKernel = simdLstmUsable(64);
      // The SIMD kernel against tf.layers.lstm where it runs (WASM, CPU); elsewhere tfjs's layers train the LSTM themselves.
      row.maxError = row.simdKernel ? Math.max(...CASES.flatMap((c) => Object.values(compareWithLayersLstm(c)))) : undefined;
      row.pass = !row.simdKernel || (row.maxError ?? Infinity) < TOL;
      if (benchRuns) {
        const config = { ...REFERENCE_MODEL, frames: 130, coefficients: 13, classes: 10 };
        status.textContent = `Timing ${backend}…`;
        if (row.simdKernel) row.simdMs = await msPerBatch(config, 32, benchRuns, true);
        row.layersMs = await msPerBatch(config, 32, benchRuns, false);
        row.convMs = {};
        row.convLayersMs = {};
        for (const c of CONV_CASES) {
          status.textContent = `Timing ${backend}: ${c.architecture} [130, ${c.coefficients}]…`;
          const name = `${c.architecture} [130, ${c.coefficients}]`;
          row.convMs[name] = await msPerBatch({ ...config, ...c, filters: 16 }, 32, benchRuns, true);
          row.convLayersMs[name] = await msPerBatch({ ...config, ...c, filters: 16 }, 32, benchRuns, false);
        }
      }
    }
    render(rows);
  }
  const cnn = await checkCnn();
  window.gtzanSelfCheck.cnn = cnn;
  const verdict = rows.length === 0 ? 'No backend was checked.'
    : rows.every((r) => !r.available || r.pass) && cnn.every((c) => c.pass) ? 'All available backends pass.' : 'Some backends FAIL.';
  status.textContent = unknownBackends
    ? `${verdict} ${unknownBackends} name${unknownBackends > 1 ? 's' : ''} in ?backends ${unknownBackends > 1 ? 'are' : 'is'} not a backend (webgl, wasm, cpu) and ${unknownBackends > 1 ? 'were' : 'was'} left out.`
    : verdict;
  window.gtzanSelfCheck.done = true;
}

/** The fast CNN against tfjs-cpu, with relaxed SIMD where this browser validates it and with plain SIMD. */
async function checkCnn(): Promise<CnnResult[]> {
  const out: CnnResult[] = [];
  if (!(await tf.setBackend('cpu'))) return out;
  for (const relaxed of [true, false]) {
    tf.env().set(RELAXED_SIMD, relaxed);
    const flavour = cnnKernelFlavour();
    if (!flavour || out.some((r) => r.flavour === flavour)) continue;
    for (const c of CNN_CASES) {
      status.textContent = `Checking the fast CNN (${flavour}): ${c.architecture} on [${c.frames}, ${c.coefficients}]…`;
      const r = await compareCnnWithTfjs(c);
      const gradientError = Math.max(...r.gradients.map((g) => g.error));
      out.push({
        flavour, model: `${c.architecture} [${c.frames}, ${c.coefficients}], ${c.filters} filters`, lossError: r.loss, gradientError, probabilityError: r.probabilities,
        pass: r.loss < 1e-5 && gradientError < 1e-4 && r.probabilities < 1e-5,
      });
    }
  }
  tf.env().set(RELAXED_SIMD, true);
  const table = document.createElement('div');
  results.append(table);
  showTableIn(table, ['Fast CNN build', 'Model', 'Loss error', 'Largest gradient error', 'Probability error', 'Result'], out.map((r) => ({
    cells: [r.flavour, r.model, r.lossError.toExponential(1), r.gradientError.toExponential(1), r.probabilityError.toExponential(1), r.pass ? 'pass' : 'FAIL'],
    resultClass: r.pass ? 'pass' : 'fail',
  })), 5);
  return out;
}

/** Epochs of the recipe in the training worker, one thread and every core taking turns, so a slow spell of the machine hits both. */
async function runEpochs(): Promise<void> {
  const epochs: EpochTiming[] = [];
  window.gtzanSelfCheck = { done: false, results: [], epochs };
  const cores = navigator.hardwareConcurrency || 1;
  for (let r = 0; r < epochRuns; r++) {
    for (const threads of [...new Set([1, cores])]) {
      status.textContent = `Timing an epoch on ${threads} thread(s), round ${r + 1} of ${epochRuns}…`;
      epochs.push(await timeEpoch(threads));
      showTable(['Threads', 'Training s', 'Validation s'], epochs.map((e) => ({ cells: [String(e.threads), e.trainSeconds.toFixed(2), e.validationSeconds.toFixed(2)] })));
    }
  }
  status.textContent = 'Epochs timed.';
  window.gtzanSelfCheck.done = true;
}

async function runTuningStrategies(): Promise<void> {
  const tuning: StrategyTiming[] = [];
  window.gtzanSelfCheck = { done: false, results: [], tuning };
  for (const s of strategies(navigator.hardwareConcurrency || 1)) {
    status.textContent = `Timing ${tuneTrials} trials, ${s.lanes} at a time on ${s.threadsPerTrial} thread(s) each…`;
    tuning.push(await timeStrategy(tuneTrials, s.lanes, s.threadsPerTrial, timeTrial));
    showTable(['Trials at once', 'Threads each', `Seconds for ${tuneTrials} trials`], tuning.map((t) => ({ cells: [String(t.lanes), String(t.threadsPerTrial), t.seconds.toFixed(1)] })));
  }
  status.textContent = 'Tuning strategies timed.';
  window.gtzanSelfCheck.done = true;
}

async function runBatches(): Promise<void> {
  window.gtzanSelfCheck = { done: false, results: [] };
  const batches = await timeBatches(batchRounds, Number(params.get('runs')) || 5, navigator.hardwareConcurrency || 1, (all) => {
    status.textContent = `Timing batches: ${all.filter((t) => t.ms.length === batchRounds).length} of ${all.length} done…`;
    showTable(['Model', 'Input', 'Threads', 'ms per batch (rounds)'], all.map((t) => ({ cells: [t.architecture, `[130, ${t.coefficients}]`, String(t.threads), t.ms.map((m) => m.toFixed(0)).join(', ')] })));
  });
  window.gtzanSelfCheck.batches = batches;
  window.gtzanSelfCheck.gpu = await gpuBatches();
  status.textContent = 'Batches timed.';
  window.gtzanSelfCheck.done = true;
}

async function runWebGpu(): Promise<void> {
  const cases: WebGpuComparison[] = [];
  window.gtzanSelfCheck = { done: false, results: [], webgpu: { cases } };
  const adapter = (await registerWebGpu()) ? await webgpuAdapter() : undefined;
  window.gtzanSelfCheck.webgpu!.adapter = adapter;
  if (!adapter) {
    status.textContent = 'This browser has no WebGPU adapter here.';
  } else {
    for (const c of WEBGPU_CASES) {
      status.textContent = `WebGPU against tfjs-cpu: ${c.name}…`;
      cases.push(await compareWebGpuWithCpu(c));
      showTable(['Model', 'Probabilities', 'Gradients', 'Weights after 3 steps', 'Result'], cases.map((r) => ({
        cells: [r.name, r.probabilities.toExponential(1), r.gradients.toExponential(1), r.weights.toExponential(1), r.pass ? 'pass' : 'FAIL'],
        resultClass: r.pass ? 'pass' : 'fail',
      })));
    }
    status.textContent = cases.every((r) => r.pass) ? `WebGPU (${adapter.vendor} ${adapter.architecture}) matches tfjs-cpu.` : 'WebGPU FAILS against tfjs-cpu.';
  }
  window.gtzanSelfCheck.done = true;
}

/**
 * The GPU backends' timings for ?batches, one thread: WebGPU and WebGL where this browser has a
 * real graphics card, nothing (and why) on a software one, whose timings would say nothing of a GPU.
 */
async function gpuBatches(): Promise<NonNullable<NonNullable<Window['gtzanSelfCheck']>['gpu']>> {
  const adapter = (await registerWebGpu()) ? await webgpuAdapter() : undefined;
  const skipped = !adapter ? 'this browser has no WebGPU adapter (start Chromium with --enable-unsafe-webgpu and the GPU\'s Vulkan driver)' : softwareAdapterReason(adapter);
  if (skipped) return { adapter, skipped, batches: [] };
  const batches: (BatchTiming & { backend: string })[] = [];
  for (const backend of ['webgpu', 'webgl'] as const) {
    const timed = await timeBatches(batchRounds, Number(params.get('runs')) || 5, 1, () => {
      status.textContent = `Timing batches on ${backend}…`;
    }, backend);
    batches.push(...timed.map((t) => ({ ...t, backend })));
  }
  return { adapter, batches };
}

async function runGtzan(): Promise<void> {
  window.gtzanSelfCheck = { done: false, results: [] };
  status.textContent = `Training the 2-D CNN on a full-GTZAN-sized set, ${gtzanEpochs} epochs…`;
  // &backend=webgpu (or auto, webgl) for the run on a GPU; the names of backends only.
  const backend = (['auto', 'webgpu', 'webgl', 'wasm'] as const).find((b) => b === params.get('backend')) ?? 'wasm';
  const r = await timeGtzanRun(gtzanEpochs, navigator.hardwareConcurrency || 1, backend);
  window.gtzanSelfCheck.run = r;
  showTable(['Epoch', 'Training s', 'Validation s'], r.epochs.map((e, i) => ({ cells: [String(i + 1), e.train.toFixed(1), e.validation.toFixed(1)] })));
  status.textContent = `${r.epochs.length} epochs in ${(r.seconds / 60).toFixed(1)} min on ${r.threads} threads.`;
  window.gtzanSelfCheck.done = true;
}

document.getElementById('run')!.addEventListener('click', () => void run());
// Start after the page has loaded: the checks keep the main thread busy for a while.
if (params.has('run') || benchRuns || epochRuns || tuneTrials || batchRounds || gtzanEpochs || webgpuCheck) {
  const job = webgpuCheck ? runWebGpu : epochRuns ? runEpochs : tuneTrials ? runTuningStrategies : batchRounds ? runBatches : gtzanEpochs ? runGtzan : run;
  window.addEventListener('load', () => setTimeout(() => void job(), 0), { once: true });
}
