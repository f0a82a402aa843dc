import { defineConfig } from 'vitest/config'

// One Temporal server and its Workers for the whole suite (src/stack.ts); each file starts the
// Next servers and the browser it needs.
export default defineConfig({
  test: { testTimeout: 90_000, hookTimeout: 180_000, globalSetup: ['./src/stack.ts'] },
})
