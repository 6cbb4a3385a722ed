import { describe, expect, it } from 'vitest';
import { measuredPick, webgpuVerdict } from '../../../../src/model/backend/backend';
import { adapterName, softwareAdapterReason, type GpuAdapterFacts } from '../../../../src/model/backend/webgpu';

const adapter = (a: Partial<GpuAdapterFacts>): GpuAdapterFacts => ({ vendor: '', architecture: '', device: '', description: '', fallback: false, ...a });
const SWIFTSHADER = adapter({ vendor: 'google', architecture: 'swiftshader' });
const NVIDIA = adapter({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3060' });
const WASM = { name: 'wasm', note: 'WebAssembly: this browser has no WebGL2 here.' };

describe('which WebGPU adapters the automatic choice may train on', () => {
  it('refuses SwiftShader (vendor "google"), llvmpipe, lavapipe and any fallback adapter, naming the adapter', () => {
    expect(softwareAdapterReason(SWIFTSHADER)).toBe('its adapter (google swiftshader) is a software renderer, which runs on the CPU');
    // Chromium's SwiftShader adapter says it is a fallback one too: the more telling reason wins.
    expect(softwareAdapterReason({ ...SWIFTSHADER, fallback: true })).toBe(softwareAdapterReason(SWIFTSHADER));
    expect(softwareAdapterReason(adapter({ vendor: 'google' }))).toMatch(/SwiftShader/);
    expect(softwareAdapterReason(adapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }))).toMatch(/software renderer/);
    expect(softwareAdapterReason(adapter({ vendor: 'mesa', device: 'lavapipe' }))).toMatch(/software renderer/);
    expect(softwareAdapterReason(adapter({ vendor: 'intel', architecture: 'gen-12lp', fallback: true }))).toMatch(/fallback adapter, which may run on the CPU/);
  });

  it('takes a graphics card and names it with its description', () => {
    expect(softwareAdapterReason(NVIDIA)).toBeUndefined();
    expect(softwareAdapterReason(adapter({ vendor: 'apple', architecture: 'metal-3' }))).toBeUndefined();
    expect(adapterName(NVIDIA)).toBe('nvidia ampere (NVIDIA GeForce RTX 3060)');
    expect(adapterName(adapter({}))).toBe('unnamed adapter');
  });

  it('says why WebGPU is left out before measuring: a software adapter, or nothing to measure (classifying)', () => {
    expect(webgpuVerdict(undefined, true)).toBeUndefined();
    expect(webgpuVerdict(SWIFTSHADER, true)).toBe('WebGPU is not used: its adapter (google swiftshader) is a software renderer, which runs on the CPU.');
    expect(webgpuVerdict(NVIDIA, true)).toBeUndefined();
    expect(webgpuVerdict(NVIDIA, false)).toMatch(/used only for training/);
  });

  it('picks WebGPU only where the model measured faster on it, and says both times', () => {
    expect(measuredPick(WASM, NVIDIA, 80, 12)).toEqual({ name: 'webgpu', note: 'WebGPU on nvidia ampere (NVIDIA GeForce RTX 3060): this model measured 12 ms per batch on WebGPU against 80 ms on wasm.' });
    const slower = measuredPick(WASM, NVIDIA, 8, 9.5);
    expect(slower.name).toBe('wasm');
    expect(slower.note).toBe(`${WASM.note} WebGPU (nvidia ampere (NVIDIA GeForce RTX 3060)) is not used: this model measured 9.5 ms per batch on WebGPU against 8.0 ms on wasm.`);
    // A WebGPU that failed to train (NaN) never wins.
    expect(measuredPick(WASM, NVIDIA, 80, NaN)).toMatchObject({ name: 'wasm', note: expect.stringMatching(/could not train this model here/) });
  });
});
