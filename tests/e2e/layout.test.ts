/**
 * The page as a whole: tfjs-vis draws the live curves, the steps are one click away, the activity
 * line stays on screen, nothing overflows at 1280 and 800 px, and axe finds nothing on any step.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { encodeWav, synthClip } from '../fixtures/audio';
import { writeTree } from '../fixtures/dataset-tree';
import { chooseDataset, labSession, setField, waitForTestId } from '../support/lab-page';

const require = createRequire(import.meta.url);
const STEPS = ['features', 'train', 'tune', 'classify', 'runs'];

/** Draws finished by each chart of the training curves. */
const draws = (page: Page) => page.locator('training-charts epoch-chart').evaluateAll((els) => els.map((e) => (e as unknown as { draws: number }).draws));

/** Every panel (and the page) whose content is wider than its box: [what, scrollWidth, clientWidth]. */
function overflowing(page: Page): Promise<[string, number, number][]> {
  return page.evaluate(() => {
    const out: [string, number, number][] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) out.push(['page', root.scrollWidth, root.clientWidth]);
    const walk = (node: Document | ShadowRoot) => {
      for (const el of node.querySelectorAll('*')) {
        if (el.matches('section.panel') && el.scrollWidth > el.clientWidth) out.push([el.getAttribute('aria-labelledby') ?? el.tagName, el.scrollWidth, el.clientWidth]);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return out;
  });
}

/** axe's violations in one step, or (no step) in the whole document: what lies outside the steps and outside any landmark too. */
async function axeViolations(page: Page, step?: string): Promise<{ id: string; targets: string[] }[]> {
  return page.evaluate(async (step) => {
    const axe = (window as unknown as { axe: { run(ctx: object, opts: object): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const r = await axe.run(step ? { include: [['gtzan-lab', `#step-${step}`]] } : document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
  }, step);
}

describe('the lab as one page', () => {
  const lab = labSession();

  it('draws the live curves while training runs, and keeps the activity line on screen from another step', async () => {
    const { page } = lab;
    await page.setViewportSize({ width: 1280, height: 800 });
    await chooseDataset(page, writeTree({ clipsPerGenre: 6, seconds: 6, extras: false }).dir);
    await setField(page, 'Epochs', '10000');
    await setField(page, 'LSTM units (each of 2 layers)', '8');
    await page.getByRole('button', { name: 'Train' }).click();
    // The charts draw only while on screen (redraw-gate.ts); the form above them may push them below the fold.
    await page.locator('training-charts').scrollIntoViewIfNeeded();
    // Vega's drawing in both charts, redrawn as epochs come in.
    await expect.poll(() => page.locator('training-charts epoch-chart svg.marks').count(), { timeout: 120_000 }).toBe(2);
    const first = await draws(page);
    await expect.poll(async () => (await draws(page)).every((n, i) => n > first[i]), { timeout: 120_000 }).toBe(true);
    // tfjs-vis's visor, for those who know it: the same two charts drawn in its slide-out panel.
    await page.getByTestId('visor-toggle').check();
    await expect.poll(() => page.locator('#tfjs-visor-container .vega-embed').count(), { timeout: 30_000 }).toBe(2);
    await page.getByTestId('visor-toggle').uncheck();

    await page.getByRole('navigation', { name: 'Steps' }).getByRole('link', { name: '3. Tune' }).click();
    const line = page.getByTestId('activity-line');
    await expect.poll(() => line.textContent(), { timeout: 30_000 }).toMatch(/Training: epoch \d+\/10000/);
    const box = (await line.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    // The training panel's curves are out of sight (above the bar), the line still says what runs.
    expect((await page.locator('training-charts').boundingBox())!.y + 100).toBeLessThan(box.y + box.height);
    await line.getByRole('button', { name: 'Stop training' }).click();
    await waitForTestId(page, 'test-accuracy', 120_000);
    await expect.poll(() => line.textContent()).toMatch(/Nothing running/);
    expect(lab.errors).toEqual([]);
  });

  it('compares two runs with tfjs-vis, after tuning and classifying', async () => {
    const { page } = lab;
    await setField(page, 'Epochs', '2');
    await page.getByRole('button', { name: 'Train' }).click();
    await expect.poll(() => page.locator('runs-panel tbody tr').count(), { timeout: 120_000 }).toBe(2);
    for (const box of await page.getByRole('checkbox', { name: /^Compare / }).all()) await box.check();
    const chart = page.getByTestId('run-comparison');
    await expect.poll(() => chart.locator('line-chart svg.marks').count(), { timeout: 30_000 }).toBe(2);
    const series = await chart.locator('line-chart').evaluateAll((els) => els.map((c) => (c as unknown as { series: { points: unknown[] }[] }).series.length));
    expect(series).toEqual([2, 2]);

    await setField(page, 'Trials', '2');
    await setField(page, 'Epochs per trial', '1');
    await page.getByRole('button', { name: 'Tune' }).click();
    await expect.poll(() => page.getByTestId('trials').locator('tbody tr').count(), { timeout: 180_000 }).toBe(2);
    await expect.poll(() => page.getByRole('button', { name: 'Use best' }).isEnabled(), { timeout: 180_000 }).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'gtzan-layout-'));
    writeFileSync(join(dir, 'clip.wav'), encodeWav({ samples: synthClip(1, 9, 22050, 7), sampleRate: 22050 }));
    await page.getByLabel('Choose a clip to classify').setInputFiles(join(dir, 'clip.wav'));
    await page.getByTestId('clip-probabilities').waitFor({ timeout: 60_000 });
    expect(lab.errors).toEqual([]);
  });

  it('reaches every step from the navigation, with the focus on its heading', async () => {
    const { page } = lab;
    const nav = page.getByRole('navigation', { name: 'Steps' });
    for (const [i, step] of STEPS.entries()) {
      await nav.getByRole('link').nth(i).click();
      const heading = page.locator(`#step-${step} h2`).first();
      const box = (await heading.boundingBox())!;
      expect(box.y, step).toBeGreaterThan(0);
      expect(box.y, step).toBeLessThan(800);
      expect(await nav.getByRole('link').nth(i).getAttribute('aria-current')).toBe('step');
      expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.shadowRoot?.activeElement?.tagName)).toBe('H2');
    }
  });

  it('fits 1280×800 and 800×1000 without sideways scrolling in any panel', async () => {
    const { page } = lab;
    for (const size of [{ width: 1280, height: 800 }, { width: 800, height: 1000 }]) {
      await page.setViewportSize(size);
      await page.locator('runs-panel summary').first().click();
      expect(await overflowing(page), `${size.width}×${size.height}`).toEqual([]);
      await page.locator('runs-panel summary').first().click();
    }
  });

  it('has no accessibility violations on any step after the whole flow, nor anywhere in the page (axe-core)', async () => {
    const { page } = lab;
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    for (const step of STEPS) {
      await page.getByRole('navigation', { name: 'Steps' }).getByRole('link').nth(STEPS.indexOf(step)).click();
      expect(await axeViolations(page, step), step).toEqual([]);
    }
    // The whole document after training runs, the visor opened and closed: the activity line, the
    // header and the visor's panel included, every piece of content inside a landmark ("region").
    expect(await axeViolations(page), 'the whole page').toEqual([]);
  });
});
