import { describe, expect, it } from 'vitest';
import { labSession } from '../support/lab-page';

describe('the page shell', () => {
  const lab = labSession();

  it('says what the lab is', async () => {
    await expect.poll(() => lab.page.getByRole('heading', { level: 1 }).textContent()).toBe('GTZAN Lab');
    // Playwright's CSS locators pierce the shadow root; the host's own innerText does not.
    const text = await lab.page.locator('gtzan-lab header').innerText();
    expect(text).toMatch(/music genre classifier/);
    expect(text).toMatch(/never leaves your machine/);
    expect(lab.errors).toEqual([]);
  });
});
