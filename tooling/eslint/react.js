// React code (the sites and the React pieces they share): the base rules plus the hooks rules.
import { defineConfig } from 'eslint/config'
import reactHooks from 'eslint-plugin-react-hooks'
import base from './base.js'

export default defineConfig(base, reactHooks.configs.flat['recommended-latest'])
