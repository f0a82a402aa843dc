import { defineConfig } from 'vitest/config'

// One Temporal server, one Worker, two Next servers and one browser for the whole suite.
export default defineConfig({
  test: { testTimeout: 90_000, hookTimeout: 180_000 },
})
