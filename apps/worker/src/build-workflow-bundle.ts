import { writeFile } from 'node:fs/promises'
import { bundleWorkflowCode } from '@temporalio/worker'
import { WORKFLOW_BUNDLE_PATH, workflowsPath } from './workflow-source'

/** `npm run build`: bundles the workflows once, for the production Worker. */
async function run(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath() })
  await writeFile(WORKFLOW_BUNDLE_PATH, code)
  console.log(`Workflow bundle written to ${WORKFLOW_BUNDLE_PATH} (${(code.length / 1024).toFixed(0)} KiB)`)
}

run().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
