/** What a newcomer's `npm install && npm run dev` says: no install script left unreviewed, and the address the lab opens at. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const json = (name: string) => JSON.parse(readFileSync(resolve(ROOT, name), 'utf8'));

describe('npm install and npm run dev', () => {
  it('every locked package with an install script is approved or denied in package.json\'s allowScripts (npm 11 warns otherwise)', () => {
    const allow = json('package.json').allowScripts as Record<string, boolean>;
    const packages = json('package-lock.json').packages as Record<string, { hasInstallScript?: boolean }>;
    const withScripts = Object.entries(packages).filter(([, p]) => p.hasInstallScript).map(([path]) => path.split('node_modules/').pop()!);
    expect(withScripts.length).toBeGreaterThan(0);
    expect(withScripts.filter((name) => typeof allow[name] !== 'boolean')).toEqual([]);
    // Vite needs esbuild's; the others only print a banner.
    expect(allow.esbuild).toBe(true);
  });

  it('the README names the address npm run dev opens: Vite\'s default port, which vite.config.ts keeps', () => {
    expect(readFileSync(resolve(ROOT, 'vite.config.ts'), 'utf8')).not.toMatch(/\bport\s*:/);
    expect(json('package.json').scripts.dev).toMatch(/^vite\b/);
    expect(readFileSync(resolve(ROOT, 'README.md'), 'utf8')).toContain('http://localhost:5173/');
  });
});
