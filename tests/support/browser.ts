/** Debian's Chromium driven by playwright-core, with the flags this machine needs. */
import { chromium, type Browser } from 'playwright-core';

export const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // SwiftShader gives a software WebGL2 so tfjs's WebGL backend runs headless.
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

/**
 * With GTZAN_CHROMIUM_GPU=vulkan: a real GPU through its Vulkan driver instead of SwiftShader
 * (Linux; the driver's ICD installed, `vulkaninfo` working), for benchmarks on a machine with one.
 */
const VULKAN_ARGS = ['--use-angle=vulkan', '--enable-features=Vulkan,VulkanFromANGLE,DefaultANGLEVulkan', '--disable-vulkan-surface', '--ignore-gpu-blocklist', '--enable-gpu'];

/** `webgpu`: navigator.gpu too (SwiftShader's adapter here, a real one with GTZAN_CHROMIUM_GPU=vulkan). */
export function launchChromium(options: { webgpu?: boolean } = {}): Promise<Browser> {
  const gpu = process.env.GTZAN_CHROMIUM_GPU === 'vulkan';
  const args = gpu ? [...CHROMIUM_ARGS.filter((a) => !/swiftshader/.test(a)), ...VULKAN_ARGS] : [...CHROMIUM_ARGS];
  if (options.webgpu || gpu) args.push('--enable-unsafe-webgpu');
  return chromium.launch({ executablePath: CHROME_PATH, headless: true, args });
}
