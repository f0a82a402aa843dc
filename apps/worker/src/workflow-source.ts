import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { WorkerOptions } from '@temporalio/worker'

/** Where `npm run build` writes the prebuilt workflow bundle, beside the compiled Worker. */
export const WORKFLOW_BUNDLE_PATH = join(__dirname, 'workflow-bundle.js')

/**
 * The compiled Worker (`npm start`) runs the bundle built ahead of time, so it starts fast and
 * runs exactly the code that was reviewed; in development it bundles the workflows at startup.
 */
export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const compiled = __filename.endsWith('.js')
  if (compiled && existsSync(WORKFLOW_BUNDLE_PATH)) return { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } }
  return { workflowsPath: require.resolve('@durable-delivery/workflows') }
}
