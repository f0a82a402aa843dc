import base from '@durable-delivery/eslint-config/base'
import workflowSandbox from '@durable-delivery/eslint-config/workflow-sandbox'
import { defineConfig } from 'eslint/config'

export default defineConfig(base, workflowSandbox)
