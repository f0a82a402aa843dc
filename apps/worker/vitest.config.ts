import { defineConfig } from 'vitest/config'

// The files share one dev server (test/stack.ts) and run one after another: each kills and
// drains real Worker processes, and some measure how long that takes.
export default defineConfig({
  test: {
    globalSetup: ['./test/stack.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})
