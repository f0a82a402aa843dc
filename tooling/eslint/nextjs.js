// A Next.js site: the React rules plus Next's recommended and Core Web Vitals rules.
import nextPlugin from '@next/eslint-plugin-next'
import { defineConfig } from 'eslint/config'
import globals from 'globals'
import react from './react.js'

export default defineConfig(react, nextPlugin.configs['core-web-vitals'], {
  files: ['components/**', 'lib/**', 'pages/**'],
  languageOptions: { globals: globals.browser },
})
