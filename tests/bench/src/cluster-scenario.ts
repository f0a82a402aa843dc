import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { Client, Connection } from '@temporalio/client'
import { z } from 'zod'
import {
  callApi,
  repoRoot,
  startDevServer,
  startNextServer,
  startWorkerProcess,
  type ApiAnswer,
  type HttpApi,
  type NextServer,
  type WorkerProcess,
} from '@durable-delivery/test-harness'
import { summarise, type LatencySummary } from '@durable-delivery/resilience/stats'
import { round, watchCpuTime, type WatchedProcess } from './process-usage'
import { report } from './results'
import {
  HISTORY_SHARDS,
  startTemporalCluster,
  TEMPORAL_SERVER_VERSION,
  type PostgresActivity,
} from './temporal-cluster'
import { openLoop, type Journey } from './open-loop'

export type ServerKind = 'dev' | 'postgres'

export interface ClusterOptions {
  /** Offered loads, orders placed per second, one level each. */
  rates: number[]
  seconds: number
  /** How often a driver looks at its order. */
  pollMs: number
  ratingDelayMs: number
}

export interface ClusterLevel {
  server: ServerKind
  offered: number
  orders: number
  achieved: number
  inFlight: number
  /** From createOrder sent to the driver's deliver answered, ms. */
  placedToDelivered: LatencySummary
  /** To the workflow's close (after the rating prompt), ms. */
  placedToClosed: LatencySummary
  failed: number
  /** Answers other than 200 that a journey met and tried again after, by call and code. */
  refused: Record<string, number>
  /** PostgreSQL's work per order closed (the cluster only): persistence and visibility together. */
  postgresPerOrder?: PostgresActivity
  /** Share of one core each process used over the level (1 = a whole core). */
  cpuShare: Record<string, number>
  /** CPU milliseconds each process used per order of the level, the drain included. */
  cpuMsPerOrder: Record<string, number>
}

export interface ClusterResult {
  options: ClusterOptions
  serverVersion: string
  historyShards: number
  levels: ClusterLevel[]
  bottleneck: Record<ServerKind, string>
}

/** What each process is, for the bottleneck's sentence. */
const PROCESS_NAMES: Record<string, string> = {
  server: 'the Temporal server',
  postgres: 'PostgreSQL (persistence and SQL visibility)',
  worker1: 'Worker 1',
  worker2: 'Worker 2',
  menu: 'the menu site (next start)',
  driver: 'the driver site (next start)',
  bench: 'the load generator (HTTP clients and one result long poll per order)',
}

/**
 * `npm run bench -- --server postgres`: the throughput of the whole production shape, first on the
 * dev server (`temporal server start-dev`, SQLite), then on a Temporal Server built from its Go
 * module on PostgreSQL with SQL visibility: two production Worker processes and both sites'
 * production builds (`next start`), driven over HTTP as pages and drivers drive them. Per order,
 * the CPU each process spent, from /proc.
 */
export async function clusterScenario(options: ClusterOptions): Promise<ClusterResult> {
  const levels: ClusterLevel[] = []
  const bottleneck = {} as Record<ServerKind, string>
  for (const server of ['dev', 'postgres'] as const) {
    const dir = mkdtempSync(join(tmpdir(), `bench-${server}-`))
    try {
      const temporal = server === 'dev' ? await devServer(dir) : await startTemporalCluster(dir).then(clusterServer)
      try {
        const ours = await runOn(server, temporal, dir, options)
        levels.push(...ours)
        bottleneck[server] = nameBottleneck(ours.reduce((a, b) => (b.achieved > a.achieved ? b : a)))
      } finally {
        await temporal.stop()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const result = { options, serverVersion: TEMPORAL_SERVER_VERSION, historyShards: HISTORY_SHARDS, levels, bottleneck }
  const line = levels
    .map(
      (level) =>
        `${level.server} ${level.offered}/s: ${level.achieved}/s, delivered p50 ${Math.round(level.placedToDelivered.p50)} ms`,
    )
    .join('; ')
  report('cluster', `${line}; bottleneck on postgres: ${bottleneck.postgres}`, result)
  return result
}

interface RunningServer {
  address: string
  /** The processes that are the server, by name (the dev server has no database process of its own). */
  processes(): Record<string, WatchedProcess>
  /** The database's statistics so far, where the server has a database of its own. */
  activity?(): PostgresActivity
  stop(): Promise<void>
}

export async function devServer(dir: string): Promise<RunningServer> {
  const server = await startDevServer({ dbFilename: join(dir, 'temporal.sqlite') })
  return {
    address: server.address,
    processes: () => ({ server: { pid: server.process.pid! } }),
    stop: () => server.stop(),
  }
}

function clusterServer(cluster: Awaited<ReturnType<typeof startTemporalCluster>>): RunningServer {
  return {
    address: cluster.address,
    processes: () => ({ server: { pid: cluster.serverPid()! }, postgres: { pid: cluster.postgresPid()!, tree: true } }),
    activity: () => cluster.postgresActivity(),
    stop: () => cluster.stop(),
  }
}

const DRIVER_ID = 'bench-driver'

/** Two Workers and both sites on `temporal`, then each offered rate in turn. */
export async function runOn(
  server: ServerKind,
  temporal: RunningServer,
  dir: string,
  options: ClusterOptions,
): Promise<ClusterLevel[]> {
  const password = randomBytes(12).toString('base64url')
  const siteEnv = {
    TEMPORAL_ADDRESS: temporal.address,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    DRIVER_ACCOUNTS: driverAccount(DRIVER_ID, password),
    // One customer and one driver place and carry every order: no per-person limits.
    RATE_LIMITS: 'off',
    ORDER_PICKUP_WINDOW: '2m',
    ORDER_DELIVERY_WINDOW: '2m',
    ORDER_RATING_DELAY: `${options.ratingDelayMs}ms`,
    // Nobody rates: the window closes right after the prompt, as in the throughput scenario.
    ORDER_RATING_WINDOW: '1ms',
  }
  const workers: WorkerProcess[] = []
  const sites: NextServer[] = []
  const connection = await Connection.connect({ address: temporal.address })
  try {
    for (let index = 0; index < 2; index++) {
      workers.push(
        await startWorkerProcess({
          address: temporal.address,
          env: {
            PAYMENT_FAILURE_RATE: '0',
            NOTIFICATION_FAILURE_RATE: '0',
            // Production's Workers share one payment ledger; so do these two.
            LEDGER_PATH: join(dir, 'ledger.sqlite'),
            WORKER_METRICS_PORT: 'off',
            WORKER_HEALTH_PORT: 'off',
          },
        }),
      )
    }
    sites.push(await startNextServer('menu', siteEnv), await startNextServer('driver', siteEnv))
    const [menu, driver] = sites as [NextServer, NextServer]
    const customer = await customerApi(menu.url)
    const courier = await driverApi(driver.url, password)
    const client = new Client({ connection })
    const delivered = new Map<string, number>()
    const refused = new Map<string, number>()
    const call: Call = async (api, path, method, input) => {
      const answer = await callApi(api, path, { method, input })
      if (answer.status !== 200) {
        const key = `${path} ${answer.status} ${answer.code ?? ''}`.trim()
        refused.set(key, (refused.get(key) ?? 0) + 1)
      }
      return answer
    }
    const journey: Journey = (orderId) =>
      httpJourney(customer, courier, client, orderId, options.pollMs, delivered, call)
    const processes: Record<string, WatchedProcess> = {
      ...temporal.processes(),
      worker1: { pid: workers[0]!.process.pid! },
      worker2: { pid: workers[1]!.process.pid! },
      menu: { pid: menu.process.pid!, tree: true },
      driver: { pid: driver.process.pid!, tree: true },
      bench: { pid: process.pid },
    }
    const levels: ClusterLevel[] = []
    for (const rate of options.rates) {
      delivered.clear()
      refused.clear()
      const databaseBefore = temporal.activity?.()
      const cpu = watchCpuTime(processes)
      const run = await openLoop(journey, rate, options.seconds)
      const usage = cpu.stop()
      const databaseAfter = temporal.activity?.()
      const closed = run.latencies.length
      const level: ClusterLevel = {
        server,
        offered: rate,
        orders: run.count,
        achieved: run.achieved,
        inFlight: run.inFlight,
        placedToDelivered: summarise([...delivered.values()]),
        placedToClosed: summarise(run.latencies),
        failed: run.failures,
        refused: Object.fromEntries(refused),
        ...(databaseBefore && databaseAfter
          ? { postgresPerOrder: perOrder(databaseBefore, databaseAfter, Math.max(1, closed)) }
          : {}),
        cpuShare: Object.fromEntries(
          Object.entries(usage.used).map(([name, used]) => [name, round(used / usage.seconds, 2)]),
        ),
        cpuMsPerOrder: Object.fromEntries(
          Object.entries(usage.used).map(([name, used]) => [name, round((used * 1000) / Math.max(1, closed))]),
        ),
      }
      levels.push(level)
      console.log(
        `  ${server} at ${rate}/s offered: ${level.achieved} orders/s, ${level.inFlight} in flight, placed to delivered ` +
          `p50 ${Math.round(level.placedToDelivered.p50)} / p99 ${Math.round(level.placedToDelivered.p99)} ms, ` +
          `${level.failed} failed, refused ${JSON.stringify(level.refused)}` +
          (level.postgresPerOrder ? `, PostgreSQL per order ${JSON.stringify(level.postgresPerOrder)}` : '') +
          `; CPU ms per order ${JSON.stringify(level.cpuMsPerOrder)}`,
      )
    }
    return levels
  } catch (error) {
    // What a site or a Worker said is the first thing to read when a level cannot be run.
    for (const each of [...sites, ...workers]) console.error(each.output().slice(-3_000))
    throw error
  } finally {
    for (const site of sites) await site.stop()
    for (const worker of workers) await worker.stop()
    await connection.close()
  }
}

/** The DRIVER_ACCOUNTS entry, made as an operator makes one: `npm run driver-account`'s script. */
function driverAccount(driverId: string, password: string): string {
  const script = join(repoRoot(), 'packages', 'api', 'src', 'auth', 'driver-account-cli.ts')
  const made = spawnSync(process.execPath, ['--import', 'tsx', script, driverId], {
    input: `${password}\n`,
    encoding: 'utf8',
  })
  if (made.status !== 0) throw new Error(`driver-account failed: ${made.stderr}`)
  return made.stdout.trim()
}

function perOrder(before: PostgresActivity, after: PostgresActivity, orders: number): PostgresActivity {
  return {
    commits: round((after.commits - before.commits) / orders),
    rowsWritten: round((after.rowsWritten - before.rowsWritten) / orders),
    walBytes: Math.round((after.walBytes - before.walBytes) / orders),
  }
}

/** A customer of the menu: its page gives the customer cookie that every order then carries. */
export async function customerApi(url: string): Promise<HttpApi> {
  const cookies = new Map<string, string>()
  await callApi({ url, cookies, close: async () => {} }, '', { method: 'GET' })
  if (cookies.size === 0) throw new Error(`the menu at ${url} set no customer cookie on its page`)
  return { url: `${url}/api`, cookies, close: async () => {} }
}

/** A driver signed in on the portal, as the sign-in form does it. */
async function driverApi(url: string, password: string): Promise<HttpApi> {
  const api: HttpApi = { url: `${url}/api`, cookies: new Map(), close: async () => {} }
  const answer = await callApi(api, 'auth.signIn', { method: 'POST', input: { driverId: DRIVER_ID, password } })
  if (answer.status !== 200) throw new Error(`the driver could not sign in: ${answer.status} ${answer.message}`)
  return api
}

/** One API call of a journey, its refusals counted. */
type Call = (api: HttpApi, path: string, method: 'GET' | 'POST', input: unknown) => Promise<ApiAnswer>

const Status = z.object({ state: z.string() })

/** Longest a journey may take before it counts as failed. */
const JOURNEY_DEADLINE_MS = 10 * 60_000

/**
 * One order as people make it over HTTP: the menu's createOrder, a driver who looks at it every
 * ~pollMs (getOrderStatus, as the driver portal's row would show it), presses Picked up once Paid
 * and Delivered once picked up; then the workflow's close (after the rating prompt) awaited.
 * An answer other than 200 (a stale state, a busy server) is what a driver would meet: look again.
 */
async function httpJourney(
  customer: HttpApi,
  courier: HttpApi,
  client: Client,
  orderId: string,
  pollMs: number,
  delivered: Map<string, number>,
  call: Call,
): Promise<void> {
  const placedAt = performance.now()
  const deadline = Date.now() + JOURNEY_DEADLINE_MS
  const pause = () => delay(pollMs / 2 + Math.random() * pollMs)
  let placed = false
  let pickedUp = false
  for (;;) {
    if (Date.now() > deadline) throw new Error(`order ${orderId}: not delivered in ${JOURNEY_DEADLINE_MS} ms`)
    if (!placed) {
      const answer = await call(customer, 'order.createOrder', 'POST', { orderId, productId: 2 })
      placed = answer.status === 200
      if (!placed) await pause()
      continue
    }
    const answer = await call(customer, 'order.getOrderStatus', 'GET', orderId)
    const status = answer.status === 200 ? Status.parse(answer.data) : undefined
    if (status?.state === 'Paid' && !pickedUp) {
      pickedUp = (await call(courier, 'driverList.pickUp', 'POST', orderId)).status === 200
      if (pickedUp) continue
    } else if (status?.state === 'Picked up') {
      pickedUp = true
      if ((await call(courier, 'driverList.deliver', 'POST', orderId)).status === 200) break
    } else if (status?.state === 'Delivered') {
      // The deliver answer was lost (a deadline on a busy machine), but the Update went through.
      break
    } else if (status && status.state !== 'Charging card' && status.state !== 'Paid') {
      throw new Error(`order ${orderId}: ${status.state}, not delivered`)
    }
    await pause()
  }
  delivered.set(orderId, performance.now() - placedAt)
  await client.workflow.getHandle(orderId).result()
}

/**
 * The busiest process at the best level, and whether the machine itself was the limit: every
 * process here shares its cores, so a server that cannot get more than its share is held by them.
 */
function nameBottleneck(level: ClusterLevel): string {
  const shares = Object.entries(level.cpuShare)
  const [name, share] = shares.reduce((a, b) => (b[1] > a[1] ? b : a))
  const total = shares.reduce((sum, [, used]) => sum + used, 0)
  const cores = availableParallelism()
  const all = shares.map(([other, used]) => `${other} ${Math.round(used * 100)}%`).join(', ')
  const machine =
    total >= 0.85 * cores
      ? `; together ${round(total, 2)} of ${cores} cores: the machine is the limit before any one process`
      : `; together ${round(total, 2)} of ${cores} cores`
  return `${PROCESS_NAMES[name] ?? name} at ${Math.round(share * 100)}% of a core at ${level.offered}/s offered (${all}${machine})`
}
