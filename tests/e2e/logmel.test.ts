import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseDataset, labSession } from '../support/lab-page';
import { writeTree } from '../fixtures/dataset-tree';
import { maxAbsDiff, REFERENCE_DIR, requireReference } from '../fixtures/reference';

describe('log-mel features in Chromium', () => {
  const lab = labSession({ acceptDownloads: true });

  it("extracts log-mel in the page's workers at librosa's numbers, exports them with their type, and keeps the choice across a reload", async () => {
    requireReference();
    const { page, errors } = lab;
    // The reference music clip as one blues clip of a small tree: its 10 segments are what
    // librosa's melspectrogram gave in logmel_music30.json.
    const tree = writeTree({ genres: ['blues', 'rock'], clipsPerGenre: 1, seconds: 6, extras: false });
    copyFileSync(join(REFERENCE_DIR, 'audio/music30_22050_pcm16.wav'), join(tree.dir, 'blues/blues.00000.wav'));
    await page.getByRole('combobox', { name: 'Features' }).selectOption({ label: 'Log-mel spectrogram, 64 bands' });
    await chooseDataset(page, tree.dir, 120_000);
    expect(await page.getByTestId('extraction-summary').innerText()).toMatch(/64 log-mel bands computed with WebAssembly SIMD/);
    // Log-mel brings the 2-D CNN into the training form.
    await expect.poll(() => page.getByRole('combobox', { name: /^Model/ }).inputValue()).toBe('cnn');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export features' }).click();
    const path = join(mkdtempSync(join(tmpdir(), 'gtzan-logmel-')), 'data.json');
    await (await download).saveAs(path);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    expect(json.settings).toMatchObject({ featureType: 'logmel', nMels: 64 });
    const ref = JSON.parse(readFileSync(join(REFERENCE_DIR, 'logmel_music30.json'), 'utf8')) as { cases: Record<string, { data: number[] }[]> };
    const at = json.files.findIndex((f: string) => f.endsWith('blues/blues.00000.wav'));
    expect(at).toBeGreaterThanOrEqual(0);
    ref.cases.logmel64_segments10.forEach((m, d) => {
      const seg = json.mfcc[at + d] as number[][];
      expect(seg).toHaveLength(130);
      expect(seg[0]).toHaveLength(64);
      expect(maxAbsDiff(seg.flat(), m.data), `segment ${d}`).toBeLessThan(2e-3);
    });

    // After a reload the choice is still log-mel, so the kept features are offered again.
    await page.reload();
    expect(await page.getByRole('combobox', { name: 'Features' }).inputValue()).toBe('logmel64');
    await page.getByRole('button', { name: 'Restore last dataset' }).click();
    await expect.poll(() => page.getByTestId('segment-total').textContent()).toBe('12');
    expect(errors).toEqual([]);
  });
});
