import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMetadata } from '../../src/saving/metadata';
import { unzipModel } from '../../src/saving/model-zip';
import { encodeWav, synthClip } from '../fixtures/audio';
import { gtzanLikeTree } from '../fixtures/gtzan-tree';
import { chooseDataset, labSession, setField } from '../support/lab-page';

const splitSelect = (page: import('playwright-core').Page) => page.getByRole('combobox', { name: /^Split/ });
const text = async (page: import('playwright-core').Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ');

describe('GTZAN recognised, checked and split the way the field does', () => {
  const lab = labSession({ acceptDownloads: true });
  const tree = gtzanLikeTree();

  it('recognises the names, checks the clips, and makes the fault-filtered split the default', async () => {
    await chooseDataset(lab.page, tree.root);
    expect(await text(lab.page, 'gtzan-recognised')).toBe('GTZAN recognised: 19 of its 1 000 clips.');
    expect(await text(lab.page, 'gtzan-missing')).toMatch(/^19 of the 1 000 clips are here; missing \(981\): blues\.00003, /);
    expect(await text(lab.page, 'gtzan-foreign')).toBe('Not GTZAN\'s names (1): genres_original/blues/extra take.wav.');
    // Every clip's bytes are hashed and compared after extraction; generated audio is never the reference copy.
    await expect.poll(() => text(lab.page, 'gtzan-differing'), { timeout: 30_000 }).toMatch(/compared differ/);
    const differing = await text(lab.page, 'gtzan-differing');
    expect(differing).toMatch(/^19 of 19 clips compared differ from the reference copy \(MD5\): blues\.\d{5}, .*Differs is not damaged/);
    expect(differing).toContain(tree.sides.test[0].split('/').pop()!.replace('.wav', ''));
    expect(await splitSelect(lab.page).inputValue()).toBe('filtered');
    expect(await text(lab.page, 'split-sizes')).toBe('The fault-filtered split: 6 train / 6 validation / 6 test clips, 2 left out.');
    expect(await text(lab.page, 'tuning-split')).toMatch(/^fault-filtered .* split \(fault-filtered split: 6 train \/ 6 validation \/ 6 test clips, 2 left out\)$/);
  });

  it('trains on it, names the split and its sizes, and lists the test clips in metadata.json', async () => {
    await setField(lab.page, 'Epochs', '1');
    await setField(lab.page, 'LSTM units (each of 2 layers)', '8');
    await lab.page.getByRole('button', { name: 'Train' }).click();
    await lab.page.getByTestId('test-accuracy').waitFor({ timeout: 120_000 });
    expect(await text(lab.page, 'test-accuracy')).toMatch(/\(fault-filtered split: 6 train \/ 6 validation \/ 6 test clips, 2 left out; 6 test segments\)/);
    const download = lab.page.waitForEvent('download');
    await lab.page.getByRole('button', { name: 'Download model' }).click();
    const meta = parseMetadata(unzipModel(new Uint8Array(readFileSync((await (await download).path())!))).metadata);
    expect(meta.split.mode).toBe('filtered');
    expect(meta.split).toMatchObject({ trainClips: 6, validationClips: 6, testClips: 6, leftOutClips: 2 });
    expect(meta.split.testClipNames).toEqual([...tree.sides.test].sort());
    expect(meta.metrics?.split).toMatch(/^fault-filtered/);
    expect(lab.errors).toEqual([]);
  });

  it('by artist is offered too; on a dataset with other names both GTZAN splits are off, with the reason', async () => {
    await splitSelect(lab.page).selectOption('artist');
    await expect.poll(() => text(lab.page, 'split-sizes')).toMatch(/^The by-artist split: \d+ train \/ \d+ validation \/ \d+ test clips\.$/);
    const other = join(mkdtempSync(join(tmpdir(), 'gtzan-other-')), 'mine');
    for (const [g, genre] of ['folk', 'techno'].entries()) {
      mkdirSync(join(other, genre), { recursive: true });
      for (let i = 0; i < 3; i++) writeFileSync(join(other, genre, `song ${i}.wav`), encodeWav({ samples: synthClip(g, 3, 22050, i), sampleRate: 22050 }));
    }
    await chooseDataset(lab.page, other);
    expect(await lab.page.getByTestId('gtzan-recognised').count()).toBe(0);
    expect(await lab.page.getByTestId('gtzan-check').count()).toBe(0);
    await expect.poll(() => splitSelect(lab.page).inputValue()).toBe('clip');
    expect(await lab.page.locator('training-panel').evaluate((el) => {
      const form = el.shadowRoot!.querySelector('training-form')!.shadowRoot!;
      return [...form.querySelectorAll<HTMLOptionElement>('select[name="split"] option')].map((o) => `${o.value}:${o.disabled}`);
    })).toEqual(['clip:false', 'segment:false', 'filtered:true', 'artist:true']);
    expect(await text(lab.page, 'gtzan-splits-off')).toMatch(/need GTZAN's clip names/);
  });
});
