#!/usr/bin/env node
import { join } from 'node:path'
import { Connection } from '@temporalio/client'
import { loadConfigOrExit, loadTemporalConfig } from '@durable-delivery/common/config'
import { loadRootEnvFile } from '@durable-delivery/common/dev-env'
import { repoRoot, temporalCliPath, testServerPath, ToolchainError } from './binaries'
import { isServing, startDevServer } from './dev-server'
import { waitFor } from './ports'
import { registerSearchAttributes } from './search-attributes'

const usage = `Usage: durable-delivery-temporal <command>
  install   find or install the Temporal CLI and test server, print their paths
  server    start \`temporal server start-dev\` (persistent SQLite, Web UI on 8233), or reuse one that answers
  wait      wait until the configured Temporal server answers (for scripts that start after it)`

/** `npm run temporal`: the dev server on TEMPORAL_ADDRESS, reusing one that is already there. */
async function server(): Promise<void> {
  const config = loadConfigOrExit(loadTemporalConfig)
  const [host = 'localhost', port = '7233'] = config.address.split(/:(?=\d+$)/)
  if (await isServing(config.address, config.namespace)) {
    const connection = await Connection.connect({ address: config.address })
    try {
      await registerSearchAttributes(connection, config.namespace)
    } finally {
      await connection.close()
    }
    console.log(`A Temporal server already answers at ${config.address}: reusing it (search attributes registered).`)
    return
  }
  const dbFilename = join(repoRoot(), '.data', 'temporal.sqlite')
  const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233)
  const dev = await startDevServer({
    ip: host === 'localhost' ? '127.0.0.1' : host,
    port: Number(port),
    uiPort,
    dbFilename,
    namespace: config.namespace,
    stdio: 'inherit',
    readyTimeoutMs: 120_000,
  })
  console.log(`Temporal dev server on ${dev.address}, Web UI on http://localhost:${uiPort}, data in ${dbFilename}`)
  const shutdown = () => void dev.stop().then(() => process.exit(0))
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
  await new Promise<void>((resolve) => dev.process.once('exit', () => resolve()))
}

async function wait(): Promise<void> {
  const config = loadConfigOrExit(loadTemporalConfig)
  await waitFor(
    `a Temporal server at ${config.address}`,
    () => isServing(config.address, config.namespace),
    300_000,
    500,
  )
}

async function run(): Promise<void> {
  // `npm run dev` starts this first: the root .env (TEMPORAL_ADDRESS, ...) applies here too.
  loadRootEnvFile(repoRoot())
  const command = process.argv[2]
  if (command === 'install') {
    console.log(`temporal: ${temporalCliPath()}`)
    console.log(`temporal-test-server: ${testServerPath()}`)
  } else if (command === 'server') {
    await server()
  } else if (command === 'wait') {
    await wait()
  } else {
    console.error(usage)
    process.exit(2)
  }
}

run().catch((error: unknown) => {
  console.error(error instanceof ToolchainError ? error.message : error)
  process.exit(1)
})
