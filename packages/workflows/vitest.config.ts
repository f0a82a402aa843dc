import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Each file starts its own Temporal test server and Worker.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})
