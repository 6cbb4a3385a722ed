/** Opens the built lab in a fresh page, collecting uncaught page errors for the test to check. */
import type { Browser, BrowserContext, Page } from 'playwright-core';

export interface LabPage {
  page: Page;
  /** Messages of uncaught errors in the page; tests expect this to stay empty. */
  errors: string[];
}

export async function openLab(target: Browser | BrowserContext, url: string, options: { acceptDownloads?: boolean } = {}): Promise<LabPage> {
  const page = 'newContext' in target ? await target.newPage(options) : await target.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return { page, errors };
}
