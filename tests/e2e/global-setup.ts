/** Builds the page once and serves dist/ for every browser test. */
import { resolve } from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { serveStatic, type StaticServer } from '../support/static-server';

let server: StaticServer | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = resolve(__dirname, '../..');
  await build({ root, logLevel: 'warn', build: { outDir: resolve(root, 'dist') } });
  server = await serveStatic(resolve(root, 'dist'));
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
