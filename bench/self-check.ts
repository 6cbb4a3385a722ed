/** The built self-check page in headless Chromium, for the benchmarks that measure in the browser. */
import { launchChromium } from '../tests/support/browser';
import { buildPage, DIST } from '../tests/support/build-page';
import { serveStatic } from '../tests/support/static-server';

export type SelfCheckResults = NonNullable<Window['gtzanSelfCheck']>;

let built = false;

/** Opens self-check.html?<query> (building the page first, once, unless --no-build) and waits for its results. */
export async function selfCheck(query: string): Promise<{ results: SelfCheckResults; version: string }> {
  if (!built && !process.argv.includes('--no-build')) await buildPage();
  built = true;
  const server = await serveStatic(DIST);
  // WebGPU on: the batch timings add WebGPU and WebGL columns where its adapter is a real GPU.
  const browser = await launchChromium({ webgpu: true });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}self-check.html?${query}`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => window.gtzanSelfCheck?.done === true, undefined, { timeout: 1_800_000, polling: 1000 });
    return { results: await page.evaluate(() => window.gtzanSelfCheck!), version: browser.version() };
  } finally {
    await browser.close();
    await server.close();
  }
}

export const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
