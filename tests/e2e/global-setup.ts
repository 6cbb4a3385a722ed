/** Builds the page once and serves dist/ for every browser test. */
import type { TestProject } from 'vitest/node';
import { buildPage, DIST } from '../support/build-page';
import { serveStatic, type StaticServer } from '../support/static-server';

let server: StaticServer | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await buildPage();
  server = await serveStatic(DIST);
  project.provide('baseUrl', server.url);
  return async () => {
    await server?.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
