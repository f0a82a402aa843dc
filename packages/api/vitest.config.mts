import { defineConfig } from 'vitest/config'

// The suite starts a real Temporal dev server and a real Worker once: generous, finite timeouts.
export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 180_000 },
})
