import { join } from 'node:path'
import { Client, Connection } from '@temporalio/client'
import { createCaller, createInnerContext, createProcessShared, fixedIdentity, NO_LIMITS } from '@durable-delivery/api'
import type { OrderWaits } from '@durable-delivery/common'
import { SOLD_OUT_DISH } from './order-plan'
import {
  startDevServer,
  startWorkerProcess,
  type DevServer,
  type DevServerOptions,
  type WorkerProcess,
} from '@durable-delivery/test-harness'

/**
 * The whole system on one machine, the way it runs in production minus the web pages: a Temporal
 * dev server with its SQLite database on disk, real compiled Worker processes sharing one payment
 * ledger file, and the tRPC API (menu and driver routes) called in-process over a real Client.
 * Every part can be broken on purpose: Workers killed, the server restarted on the same file.
 */
export type Api = ReturnType<typeof createCaller>

/** Who the suite's orders belong to, and who delivers them. */
export const SUITE_CUSTOMER = 'c_resilience-suite-customer'
export const SUITE_DRIVER = 'suite-driver'

export interface BreakableStackOptions {
  /** Folder for the server's database and the ledger; the caller owns (and removes) it. */
  dir: string
  /** Chance (0-1) that a payment or notification call fails transiently; the seed's 0.7 by default. */
  failureRate?: number
  /** Waits of every order placed through the API. */
  orderWaits: OrderWaits
  /** Further environment of every Worker (cache and poller settings, for the benchmarks). */
  workerEnv?: Record<string, string>
  /** The server's metrics port and dynamic config (the benches count its requests, set its limits). */
  server?: Pick<DevServerOptions, 'metricsPort' | 'dynamicConfig'>
}

export interface BreakableStack {
  /** host:port of the Temporal frontend (the same across restarts). */
  address: string
  /** Process id of the Temporal server running now (a restart changes it). */
  serverPid(): number | undefined
  api: Api
  /** The API with other order options (a shorter payment deadline, say). */
  apiWith(orderWaits: OrderWaits): Api
  client: Client
  taskQueue: string
  orderWaits: OrderWaits
  ledgerPath: string
  /** Workers started and not yet stopped. */
  workers: WorkerProcess[]
  /** Exits of Workers nobody killed (a Worker must survive whatever the server does). */
  unexpectedExits: string[]
  /** Starts a Worker; `env` overrides its variables (PAYMENT_FAILURE_RATE=1: a payment outage). */
  startWorker(env?: Record<string, string>): Promise<WorkerProcess>
  /** SIGKILL, no goodbye: running activities and workflow tasks die with the process. */
  killWorker(worker: WorkerProcess): Promise<void>
  /** Stops the Temporal server and starts it again on the same port and database file. */
  restartServer(): Promise<void>
  stop(): Promise<void>
}

export async function startBreakableStack(options: BreakableStackOptions): Promise<BreakableStack> {
  const dbFilename = join(options.dir, 'temporal.sqlite')
  const ledgerPath = join(options.dir, 'ledger.sqlite')
  const rate = String(options.failureRate ?? 0.7)
  let server: DevServer = await startDevServer({ ...options.server, dbFilename })
  const connection = await Connection.connect({ address: server.address }).catch(async (error: unknown) => {
    await server.stop()
    throw error
  })
  const client = new Client({ connection })
  // The suite is every customer and every driver at once: one identity that is both, no rate limits.
  const identity = fixedIdentity({ customerId: SUITE_CUSTOMER, driverId: SUITE_DRIVER })
  const shared = createProcessShared(NO_LIMITS)
  const apiWith = (orderWaits: OrderWaits | undefined) =>
    createCaller(createInnerContext({ client, orderWaits, identity, shared }))
  const api = apiWith(options.orderWaits)
  const workers: WorkerProcess[] = []
  const killed = new Set<WorkerProcess>()
  const unexpectedExits: string[] = []

  const stack: BreakableStack = {
    address: server.address,
    serverPid: () => server.process.pid,
    api,
    apiWith,
    client,
    taskQueue: 'durable-delivery',
    orderWaits: options.orderWaits,
    ledgerPath,
    workers,
    unexpectedExits,
    async startWorker(env = {}) {
      const worker = await startWorkerProcess({
        address: server.address,
        env: {
          PAYMENT_FAILURE_RATE: rate,
          NOTIFICATION_FAILURE_RATE: rate,
          LEDGER_PATH: ledgerPath,
          // The simulated restaurant answers quickly, fails as often as the other services, and
          // is out of one dish, so that carts holding it meet a shortage (order-plan.ts).
          RESTAURANT_MODE: 'auto',
          RESTAURANT_ACCEPT_MS: '500',
          RESTAURANT_PREP_MS_PER_ITEM: '200',
          RESTAURANT_DECLINE_RATE: '0',
          RESTAURANT_FAILURE_RATE: rate,
          RESTAURANT_SOLD_OUT: String(SOLD_OUT_DISH),
          // Several Workers share this machine: no fixed metrics or health ports.
          WORKER_METRICS_PORT: 'off',
          WORKER_HEALTH_PORT: 'off',
          ...options.workerEnv,
          ...env,
        },
      })
      workers.push(worker)
      worker.process.once('exit', (code, signal) => {
        if (!killed.has(worker))
          unexpectedExits.push(
            `Worker ${worker.process.pid} exited (${signal ?? code}):\n${worker.output().slice(-2000)}`,
          )
      })
      return worker
    },
    async killWorker(worker) {
      killed.add(worker)
      workers.splice(workers.indexOf(worker), 1)
      await worker.stop('SIGKILL')
    },
    async restartServer() {
      await server.stop()
      server = await startDevServer({ ...options.server, port: server.port, dbFilename })
    },
    async stop() {
      for (const worker of [...workers]) {
        killed.add(worker)
        await worker.stop('SIGTERM')
      }
      workers.length = 0
      await connection.close()
      await server.stop()
    },
  }
  return stack
}
