// A Next.js site: the React rules plus Next's recommended and Core Web Vitals rules; its pages,
// components and lib are browser code (browser-code.js), its API routes server code.
import nextPlugin from '@next/eslint-plugin-next'
import { defineConfig } from 'eslint/config'
import globals from 'globals'
import browserCode from './browser-code.js'
import react from './react.js'

export default defineConfig(react, nextPlugin.configs['core-web-vitals'], browserCode, {
  files: ['components/**', 'lib/**', 'pages/**'],
  languageOptions: { globals: globals.browser },
})
