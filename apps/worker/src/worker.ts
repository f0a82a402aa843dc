import { NativeConnection, type Worker } from '@temporalio/worker'
import { loadConfigOrExit, loadWorkerProcessConfig } from '@durable-delivery/common/config'
import { connectionOptions } from '@durable-delivery/common/temporal-connection'
import { createLogger } from './create-logger'
import { createOrderWorker } from './create-worker'
import { startHealthServer, type HealthServer } from './health-server'
import { installRuntime } from './install-runtime'
import { sidePort } from './side-ports'
import { errorMessage } from '@durable-delivery/common'

/**
 * The Worker process. The SDK shuts the Worker down gracefully on SIGINT and SIGTERM: it stops
 * polling, lets running activities finish within the grace time (SHUTDOWN_GRACE_TIME), and
 * `run()` resolves; then the process closes what it opened and exits 0.
 */
async function run(): Promise<void> {
  const config = loadConfigOrExit(loadWorkerProcessConfig)
  const { address, namespace, taskQueue } = config.temporal
  const logger = createLogger(config.ops.logFormat, config.ops.logLevel)
  const ops = {
    ...config.ops,
    metricsPort: await sidePort('metrics', config.ops.metricsPort, config.ops.portsMayMove, logger),
    healthPort: await sidePort('the health endpoint', config.ops.healthPort, config.ops.portsMayMove, logger),
  }
  try {
    installRuntime(ops, logger)
  } catch (error) {
    // The usual cause: another process already serves metrics on that port.
    logger.error(`Cannot start the SDK runtime (metrics on port ${ops.metricsPort}): ${String(error)}`)
    process.exit(1)
  }

  let worker: Worker | undefined
  let health: HealthServer | undefined
  if (ops.healthPort !== undefined) {
    try {
      health = await startHealthServer(ops.healthPort, () => worker?.getState() ?? 'STARTING', { taskQueue, namespace })
    } catch (error) {
      logger.error(errorMessage(error))
      process.exit(1)
    }
  }

  let connection: NativeConnection
  try {
    connection = await NativeConnection.connect(connectionOptions(config.temporal))
  } catch (error) {
    const reason = errorMessage(error)
    logger.error(
      `Cannot reach the Temporal server at ${address} (${reason}). Is it running? Start one with: npm run temporal`,
    )
    process.exit(1)
  }
  try {
    const created = await createOrderWorker({
      connection,
      namespace,
      taskQueue,
      services: config.services,
      shutdownGraceMs: ops.shutdownGraceMs,
      maxCachedWorkflows: ops.maxCachedWorkflows,
    })
    worker = created.worker
    try {
      const running = worker.run()
      // Callbacks a previous Worker left pending (it crashed while a kitchen cooked) resume now.
      created.restaurant.start()
      // Test harnesses and operators wait for this line: the Worker is polling from here on.
      logger.info(`Worker ready: polling task queue "${taskQueue}" in namespace "${namespace}" at ${address}`, {
        metrics: ops.metricsPort === undefined ? 'off' : `http://0.0.0.0:${ops.metricsPort}/metrics`,
        health: health ? `http://0.0.0.0:${health.port}/healthz` : 'off',
        shutdownGraceMs: ops.shutdownGraceMs,
        restaurant: config.services.restaurant.mode,
      })
      await running
      logger.info('Worker stopped: every running activity finished or was cancelled after the grace time')
    } finally {
      await created.restaurant.stop()
      created.ledger.close()
    }
  } finally {
    await health?.close()
    await connection.close()
  }
}

run().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
