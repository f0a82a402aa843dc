import { defineConfig } from 'eslint/config'
import base from './base.js'

// The fixtures break the rules on purpose: the test lints them and expects the errors.
export default defineConfig({ ignores: ['test/fixtures/**'] }, base)
