import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { openLab } from '../support/lab-page';

describe('the page shell', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await launchChromium();
    ({ page, errors } = await openLab(browser, inject('baseUrl')));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('says what the lab is', async () => {
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('GTZAN Lab');
    // Playwright's CSS locators pierce the shadow root; the host's own innerText does not.
    const text = await page.locator('gtzan-lab header').innerText();
    expect(text).toMatch(/music genre classifier/);
    expect(text).toMatch(/never leaves your machine/);
    expect(errors).toEqual([]);
  });
});
