import { defineConfig } from 'vitest/config'

// The suite shares one real Temporal dev server and one real Worker (test/stack.ts): generous,
// finite timeouts.
export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 180_000, globalSetup: ['./test/stack.ts'] },
})
