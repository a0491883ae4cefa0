import { defineConfig, mergeConfig } from 'vitest/config'
import viteConfig from './vite.config.ts'

// Every test that needs no browser. Node by default; component tests opt into happy-dom
// with a `// @vitest-environment happy-dom` line. TZ is pinned so date tests mean the same everywhere.
export default mergeConfig(viteConfig, defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    env: { TZ: 'UTC' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
}))
