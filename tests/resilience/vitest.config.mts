import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Each file starts one Temporal dev server and real Worker processes; cases wait on orders.
    testTimeout: 240_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})
