import { fileURLToPath } from 'node:url'
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker'
import { loadOpsConfig } from '@durable-delivery/common/config'
import { FLOOR_TASK_QUEUE } from './floor-names'
import type { FloorActivities } from './floor-workflow'

/**
 * The bench-only Worker of the floor: the production Worker's settings (the SDK's defaults plus
 * the cache size, as apps/worker/src/create-worker.ts sets them) on its own task queue, with no-op
 * activities. Run as its own process, so that its CPU is counted apart from the load generator's.
 */
async function run(): Promise<void> {
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(import.meta.resolve('./floor-workflow.ts')),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  })
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! })
  const activities: FloorActivities = { charge: async () => {}, notify: async () => {} }
  const { maxCachedWorkflows } = loadOpsConfig()
  const worker = await Worker.create({
    connection,
    taskQueue: FLOOR_TASK_QUEUE,
    workflowBundle,
    activities,
    maxCachedWorkflows,
  })
  const running = worker.run()
  // startWorkerProcess waits for this line, as it does for the production Worker.
  console.log('Worker ready: polling the floor task queue')
  await running
  await connection.close()
}

run().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
