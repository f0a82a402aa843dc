import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { WorkerOptions } from '@temporalio/worker'

/** Where `npm run build` writes the prebuilt workflow bundle, beside the bundled Worker. */
export const WORKFLOW_BUNDLE_PATH = join(import.meta.dirname, 'workflow-bundle.js')

/** The workflows' TypeScript source, for the SDK's bundler (which compiles it with swc). */
export function workflowsPath(): string {
  return fileURLToPath(import.meta.resolve('@durable-delivery/workflows'))
}

/**
 * The bundled Worker (`npm start`) runs the workflow bundle built ahead of time, so it starts
 * fast and runs exactly the code that was reviewed; in development (`tsx watch`, run from src/)
 * it bundles the workflows from source at startup, so an edit takes effect on the next restart.
 */
export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const bundled = import.meta.filename.endsWith('.js')
  if (bundled && existsSync(WORKFLOW_BUNDLE_PATH)) return { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } }
  return { workflowsPath: workflowsPath() }
}
