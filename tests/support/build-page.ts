/** Builds the page the way `npm run build` does (production mode), for tests and benchmarks. */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = resolve(ROOT, 'dist');

/**
 * Builds the project at `root` (this checkout by default) into `outDir`. Asynchronous: a build
 * takes the better part of a minute on a slow machine, and a test worker blocked that long misses
 * its own messages to the test runner ("Timeout calling onTaskUpdate").
 */
export function buildPage(root = ROOT, outDir = resolve(root, 'dist')): Promise<void> {
  // A child process, so the test runner's NODE_ENV=test does not turn Lit's dev mode on.
  const child = spawn(resolve(ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`vite build in ${root} exited with code ${code}`))));
  });
}

/**
 * A copy of the sources (node_modules linked, not copied) with some files edited, for tests that
 * need a second, different build, as a deploy of a new version would be.
 */
export function editedCopy(edits: Record<string, (text: string) => string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gtzan-build-'));
  for (const name of ['src', 'schemas', 'public', 'scripts', 'index.html', 'self-check.html', 'vite.config.ts', 'tsconfig.json', 'package.json']) {
    cpSync(join(ROOT, name), join(dir, name), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [file, edit] of Object.entries(edits)) {
    const path = join(dir, file);
    const before = readFileSync(path, 'utf8');
    const after = edit(before);
    if (after === before) throw new Error(`the edit of ${file} changed nothing`);
    writeFileSync(path, after);
  }
  return dir;
}
