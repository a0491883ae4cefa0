import { defineConfig } from 'vitest/config'

// Browser tests: real Chromium driven by playwright-core against the emulator and the built app.
// They run one file at a time; each file starts its own emulator on a free port.
export default defineConfig({
  test: {
    include: ['test/**/*.e2e.ts'],
    environment: 'node',
    env: { TZ: 'UTC' },
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
})
