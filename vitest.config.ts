import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Node 20 validates relaxed SIMD (the CNN kernels' fused multiply-add, which Chromium runs by
    // default) only behind this flag; with it the kernel tests hold both builds to tfjs-cpu.
    pool: 'forks',
    poolOptions: { forks: { execArgv: ['--experimental-wasm-relaxed-simd'] } },
    // Browser tests share one built page and Chromium is heavy on 2 cores: one file at a time.
    fileParallelism: false,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
