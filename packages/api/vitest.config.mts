import { defineConfig } from 'vitest/config'

// The suite shares one real Temporal dev server and one real Worker (test/stack.ts): generous,
// finite timeouts. One file at a time: the driver list's 1,000 starts would otherwise load the
// shared server while the routers' file holds connects to a 3 s deadline.
export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 180_000, fileParallelism: false, globalSetup: ['./test/stack.ts'] },
})
