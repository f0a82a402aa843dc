import { defineConfig } from 'vitest/config'

// Type-aware linting builds a TypeScript program first: seconds, not milliseconds.
export default defineConfig({ test: { testTimeout: 60_000 } })
