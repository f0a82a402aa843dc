import { NativeConnection } from '@temporalio/worker'
import { loadConfig, loadConfigOrExit } from '@durable-delivery/common/config'
import { connectionOptions } from '@durable-delivery/common/temporal-connection'
import { createOrderWorker } from './create-worker'

/**
 * The Worker process. The SDK shuts the Worker down gracefully on SIGINT and SIGTERM: it stops
 * polling, lets running activities finish within the grace time, and `run()` resolves.
 */
async function run(): Promise<void> {
  const config = loadConfigOrExit(loadConfig)
  const { address, namespace, taskQueue } = config.temporal
  let connection: NativeConnection
  try {
    connection = await NativeConnection.connect(connectionOptions(config.temporal))
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    console.error(`Cannot reach the Temporal server at ${address} (${reason}). Is it running? Start one with: npm run temporal`)
    process.exit(1)
  }
  try {
    const { worker, ledger } = await createOrderWorker({ connection, namespace, taskQueue, services: config.services })
    try {
      const running = worker.run()
      // Test harnesses and operators wait for this line: the Worker is polling from here on.
      console.log(`Worker ready: polling task queue "${taskQueue}" in namespace "${namespace}" at ${address}`)
      await running
    } finally {
      ledger.close()
    }
  } finally {
    await connection.close()
  }
}

run().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
