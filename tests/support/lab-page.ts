/** Opening the built lab in Chromium for browser tests, collecting uncaught page errors. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { launchChromium } from './browser';

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

/**
 * For a describe block that shares one page: launches Chromium and opens the lab before its
 * tests, closes it after. The returned object is filled in by the time the tests run.
 */
export function labSession(options: { acceptDownloads?: boolean } = {}): LabPage & { browser: Browser } {
  const session = {} as LabPage & { browser: Browser };
  beforeAll(async () => {
    session.browser = await launchChromium();
    Object.assign(session, await openLab(session.browser, inject('baseUrl'), options));
  });
  afterAll(async () => {
    await session.browser?.close();
  });
  return session;
}

/** Chooses a dataset folder through **Choose dataset folder** and waits for the extraction summary. */
export async function chooseDataset(page: Page, dir: string, timeout = 60_000): Promise<void> {
  await page.getByLabel('Choose dataset folder').setInputFiles(dir);
  await page.getByTestId('extraction-summary').waitFor({ timeout });
}

/** Types a value into the form field with this exact label and leaves it, as a person would. */
export async function setField(page: Page, label: string, value: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(value);
  await input.press('Tab');
}

/**
 * Waits for the element with this test id; when it does not come, fails with what the page says
 * instead (its alerts and status lines), so a slow or failed run in CI tells which it was.
 */
export async function waitForTestId(page: Page, testId: string, timeout: number): Promise<void> {
  try {
    await page.getByTestId(testId).waitFor({ timeout });
  } catch (e) {
    const said = [...await page.getByRole('alert').allTextContents(), ...await page.getByRole('status').allTextContents()];
    throw new Error(`${testId} did not show in ${timeout} ms; the page says: ${said.map((s) => s.trim()).filter(Boolean).join(' | ') || '(nothing)'}`, { cause: e });
  }
}
