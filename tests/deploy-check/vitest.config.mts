import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // The production-Worker suite starts a dev server and real Worker processes on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
