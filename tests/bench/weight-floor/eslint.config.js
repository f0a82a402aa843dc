import nextjs from '@durable-delivery/eslint-config/nextjs'
import { defineConfig } from 'eslint/config'

// Linted from tests/bench: Next's rules look for pages/ here, not in the working directory.
export default defineConfig(nextjs, { settings: { next: { rootDir: import.meta.dirname } } })
