import browserCode from '@durable-delivery/eslint-config/browser-code'
import react from '@durable-delivery/eslint-config/react'
import { defineConfig } from 'eslint/config'

export default defineConfig(react, browserCode)
