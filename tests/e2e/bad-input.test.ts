import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeWav, synthClip } from '../fixtures/audio';
import { labSession } from '../support/lab-page';

const wav = (genre: number, seconds: number, seed = 1) => encodeWav({ samples: synthClip(genre, seconds, 22050, seed), sampleRate: 22050 });

/** A dataset holding, beside good clips, every bad input a real collection can hold. */
function badTree(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'gtzan-bad-')), 'my music');
  const put = (path: string, bytes: Uint8Array | string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), bytes);
  };
  put('blues/good.wav', wav(0, 6));
  put('Musique électronique/Ça va — été.wav', wav(1, 6, 2));
  put('deep/a/b/c/d/e/f/g/h/i/j/nested genre/deep clip.wav', wav(2, 6, 3));
  put('blues/empty.wav', new Uint8Array(0));
  const full = wav(0, 6, 4);
  put('blues/truncated.wav', full.subarray(0, 5000));
  put('blues/huge.wav', encodeWav({ samples: synthClip(0, 1, 22050, 5), sampleRate: 22050, declaredDataSize: 0xfffffff0 }));
  put('blues/adpcm.wav', encodeWav({ samples: synthClip(0, 1, 22050, 6), sampleRate: 22050, formatTag: 0x0002 }));
  put('blues/notes.wav', 'this is a text file with a .wav name');
  put('blues/short.wav', wav(0, 2, 7));
  put('blues/ten minutes.wav', wav(0, 600, 8));
  return root;
}

describe('bad input: a clear message naming the file and the reason, and everything else keeps going', () => {
  const lab = labSession();

  it('lists every bad clip with its reason and extracts the good ones', async () => {
    await lab.page.getByLabel('Choose dataset folder').setInputFiles(badTree());
    await lab.page.getByTestId('extraction-summary').waitFor({ timeout: 120_000 });
    const failures = (await lab.page.getByTestId('failures').innerText()).replace(/\s+/g, ' ');
    expect(failures).toMatch(/blues\/empty\.wav: the file is empty \(0 bytes\)/);
    expect(failures).toMatch(/blues\/truncated\.wav: truncated data: the header promises \d+ bytes of samples, the file has 4956/);
    expect(failures).toMatch(/blues\/huge\.wav: truncated data: the header promises 4294967280 bytes/);
    expect(failures).toMatch(/blues\/adpcm\.wav: unsupported WAV encoding: format tag 0x0002 \(Microsoft ADPCM\)/);
    expect(failures).toMatch(/blues\/notes\.wav: not a WAV or AU file/);
    expect(failures).toMatch(/blues\/short\.wav: only 2\.0 s long: shorter than one segment/);
    const table = await lab.page.getByTestId('genre-table').innerText();
    // Names with spaces and non-ASCII characters, and a genre ten folders deep, are genres like any other.
    expect(table).toMatch(/Musique électronique\s+1/);
    expect(table).toMatch(/nested genre\s+1/);
    // good (2 segments) + the 10-minute clip cut at 30 s (10 segments) for blues; 2 + 2 for the others.
    expect(table).toMatch(/blues\s+8\s+[\d.]+ MB\s+[\d.]+ min\s+12/);
    expect(await lab.page.getByTestId('segment-total').textContent()).toBe('16');
    expect(lab.errors).toEqual([]);
  });

  it('an empty folder and a folder with one genre get a message, not a crash', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gtzan-empty-'));
    writeFileSync(join(empty, 'readme.txt'), 'nothing here');
    await lab.page.getByLabel('Choose dataset folder').setInputFiles(empty);
    await expect.poll(() => lab.page.getByRole('alert').first().textContent()).toMatch(/No audio clips found/);
    const one = join(mkdtempSync(join(tmpdir(), 'gtzan-one-')), 'rock');
    mkdirSync(one);
    writeFileSync(join(one, 'a.wav'), wav(1, 3));
    await lab.page.getByLabel('Choose dataset folder').setInputFiles(join(one, '..'));
    await expect.poll(() => lab.page.getByRole('alert').first().textContent()).toMatch(/Only one genre found \(rock\)/);
  });

  it('a data.json with wrong shapes is refused with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-json-'));
    const path = join(dir, 'data.json');
    writeFileSync(path, JSON.stringify({ mapping: ['a', 'b'], labels: [0, 1], mfcc: [[[1, 2], [3, 4]], [[1, 2]]] }));
    await lab.page.getByLabel('Open data.json').setInputFiles(path);
    await expect.poll(() => lab.page.getByRole('alert').first().textContent()).toMatch(/data\.json: segment 1: expected 2 frames like segment 0, found 1/);
    expect(lab.errors).toEqual([]);
  });

  it('5 000 tiny files: every one reported, the lab.page still responds', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'gtzan-many-')), 'many');
    for (const g of ['x', 'y']) {
      mkdirSync(join(root, g), { recursive: true });
      for (let i = 0; i < 2500; i++) writeFileSync(join(root, g, `${i}.wav`), new Uint8Array(44));
    }
    await lab.page.getByLabel('Choose dataset folder').setInputFiles(root);
    await lab.page.getByTestId('extraction-summary').waitFor({ timeout: 170_000 });
    expect((await lab.page.getByTestId('extraction-summary').textContent())!.replace(/\s+/g, ' ')).toMatch(/0 clips extracted, 0 from the cache, 5000 failed/);
    expect(await lab.page.getByTestId('failures').locator('li').count()).toBe(5000);
    expect(await lab.page.getByRole('heading', { level: 1 }).textContent()).toBe('GTZAN Lab');
  });
});
