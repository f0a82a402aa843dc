import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { Connection } from '@temporalio/client'
import { orderSearchAttributes } from '@durable-delivery/common/search-attributes'
import {
  freePort,
  hasExited,
  registerSearchAttributes,
  repoRoot,
  stopChild,
  temporalCliPath,
  waitFor,
  WaitAborted,
} from '@durable-delivery/test-harness'

/**
 * A real Temporal cluster on this machine for the bench: the server built from its Go module
 * (all four services in one process, as `temporal-server start` runs them), on a PostgreSQL
 * cluster of its own in a temporary folder, with SQL visibility. Nothing here runs in CI: it
 * needs Go and Debian's `postgresql` package (docs/benchmarks.md, "A real cluster").
 */
export const TEMPORAL_SERVER_VERSION = 'v1.32.2'

/** Few shards: one process on 2 cores; enough that history work is not one lock (docs/scaling.md). */
export const HISTORY_SHARDS = 4

const TOOLS_MODULE = 'go.temporal.io/server'

export interface ServerBinaries {
  server: string
  sqlTool: string
}

/**
 * The server and its SQL schema tool, built once with `go install` into a git-ignored folder of
 * the repo (`.cache/temporal-server/<version>/bin`) and reused after. The build is niced: it takes
 * minutes of both cores and the machine is shared.
 */
export function ensureServerBinaries(): ServerBinaries {
  const bin = join(repoRoot(), '.cache', 'temporal-server', TEMPORAL_SERVER_VERSION, 'bin')
  // `go install` names each binary after its package's folder: cmd/server and cmd/tools/sql.
  const binaries = { server: join(bin, 'server'), sqlTool: join(bin, 'sql') }
  if (existsSync(binaries.server) && existsSync(binaries.sqlTool)) return binaries
  if (spawnSync('go', ['version']).status !== 0)
    throw new Error('--server postgres needs Go on PATH to build the Temporal server (see docs/benchmarks.md)')
  mkdirSync(bin, { recursive: true })
  console.log(`  building Temporal server ${TEMPORAL_SERVER_VERSION} into ${bin} (once; several minutes)`)
  const built = spawnSync(
    'nice',
    [
      '-n',
      '19',
      'go',
      'install',
      `${TOOLS_MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`,
      `${TOOLS_MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
    ],
    // The module may ask for a newer Go than the machine's: GOTOOLCHAIN=auto fetches it.
    { stdio: 'inherit', env: { ...process.env, GOBIN: bin, GOTOOLCHAIN: 'auto' } },
  )
  if (built.status !== 0) throw new Error(`go install of the Temporal server failed (exit ${built.status})`)
  return binaries
}

/** Debian installs PostgreSQL's server programs outside PATH, one folder per major version. */
function postgresBin(): string {
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (versions.length === 0)
    throw new Error(`--server postgres needs PostgreSQL's server (Debian: apt-get install postgresql); none in ${root}`)
  return join(root, versions[0]!, 'bin')
}

/** PostgreSQL refuses to run as root: as root, its programs run as Debian's `postgres` user. */
function asPostgresUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim())
  const uid = id('-u')
  if (!Number.isInteger(uid) || uid <= 0)
    throw new Error('running as root, and there is no `postgres` user to run PostgreSQL as')
  return { uid, gid: id('-g') }
}

export interface PostgresActivity {
  /** Transactions committed, read-only statements included (each autocommit SELECT is one). */
  commits: number
  /** Rows inserted, updated and deleted. */
  rowsWritten: number
  /** Bytes of write-ahead log: what the writes cost the disk. */
  walBytes: number
}

/** One line: commits | rows written | WAL bytes, over every database of the cluster. */
const ACTIVITY_SQL =
  'SELECT sum(xact_commit), sum(tup_inserted + tup_updated + tup_deleted), ' +
  "pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') FROM pg_stat_database"

export interface Postgres {
  port: number
  /** The postmaster: every backend is its child (the bench counts the whole tree's CPU). */
  process: ChildProcess
  user: string
  /** What the databases have done so far, for the bench's per-order figures. */
  activity(): PostgresActivity
  stop(): Promise<void>
}

/**
 * A throwaway PostgreSQL cluster: initdb in `dir`, the postmaster on a free port of 127.0.0.1
 * (trust auth, nothing else can reach it), niced like everything the bench starts. Durability
 * settings are PostgreSQL's defaults (fsync on): the figures are those of a real database.
 */
export async function startPostgres(dir: string): Promise<Postgres> {
  const bin = postgresBin()
  const owner = asPostgresUser()
  const data = join(dir, 'pgdata')
  mkdirSync(data, { recursive: true })
  if (owner) {
    chownSync(dir, owner.uid, owner.gid)
    chownSync(data, owner.uid, owner.gid)
  }
  const user = 'temporal'
  const initdb = spawnSync(
    'nice',
    ['-n', '19', join(bin, 'initdb'), '-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--no-instructions'],
    { encoding: 'utf8', ...(owner ?? {}) },
  )
  if (initdb.status !== 0) throw new Error(`initdb failed:\n${initdb.stdout}${initdb.stderr}`)
  const port = await freePort()
  const child = spawn(
    'nice',
    [
      '-n',
      '19',
      join(bin, 'postgres'),
      '-D',
      data,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dir}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], ...(owner ?? {}) },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const stop = () => stopChild(child, 'SIGINT', 30_000).then(() => undefined)
  try {
    await waitFor(
      `PostgreSQL on port ${port}`,
      () => {
        if (hasExited(child))
          throw new WaitAborted(`postgres exited (code ${child.exitCode}):\n${output.slice(-4_000)}`)
        return output.includes('database system is ready to accept connections')
      },
      60_000,
      100,
    )
  } catch (error) {
    await stop()
    throw error
  }
  const activity = (): PostgresActivity => {
    const read = spawnSync(
      join(bin, 'psql'),
      ['-h', dir, '-p', String(port), '-U', user, '-d', 'postgres', '-Atc', ACTIVITY_SQL],
      {
        encoding: 'utf8',
      },
    )
    const [commits, rowsWritten, walBytes] = read.stdout.trim().split('|').map(Number)
    if (read.status !== 0 || ![commits, rowsWritten, walBytes].every(Number.isFinite))
      throw new Error(`reading PostgreSQL's statistics failed: ${read.stdout}${read.stderr}`)
    return { commits: commits!, rowsWritten: rowsWritten!, walBytes: walBytes! }
  }
  return { port, process: child, user, activity, stop }
}

function runSqlTool(binaries: ServerBinaries, pg: Postgres, database: string, args: string[]): void {
  const result = spawnSync(
    'nice',
    [
      '-n',
      '19',
      binaries.sqlTool,
      '--endpoint',
      '127.0.0.1',
      '--port',
      String(pg.port),
      '--user',
      pg.user,
      '--plugin',
      'postgres12',
      '--database',
      database,
      ...args,
    ],
    { encoding: 'utf8' },
  )
  if (result.status !== 0)
    throw new Error(`temporal sql tool ${args.join(' ')} on ${database} failed:\n${result.stdout}${result.stderr}`)
}

/** The two databases and their schemas, by the server's own tool from the schemas built into it. */
export function setUpSchemas(binaries: ServerBinaries, pg: Postgres): void {
  for (const [database, schema] of [
    ['temporal', 'postgresql/v12/temporal'],
    ['temporal_visibility', 'postgresql/v12/visibility'],
  ] as const) {
    runSqlTool(binaries, pg, database, ['create-database'])
    runSqlTool(binaries, pg, database, ['setup-schema', '--version', '0.0'])
    runSqlTool(binaries, pg, database, ['update-schema', '--schema-name', schema])
  }
}

/**
 * A free port below 32768: the SQL schema keeps each service's membership port in a `smallint`,
 * so an ephemeral port (Linux hands out 32768 and up) makes the server fail at its first heartbeat.
 */
async function lowFreePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000)
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer()
      probe.once('error', () => resolve(false))
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
    })
    if (free && !taken.has(port)) {
      taken.add(port)
      return port
    }
  }
  throw new Error('no free port between 20000 and 32000')
}

/** Ports handed out in this process, so that two services never get the same one. */
const taken = new Set<number>()

interface ServerPorts {
  frontend: number
  frontendHttp: number
  frontendMembership: number
  history: number
  historyMembership: number
  matching: number
  matchingMembership: number
  worker: number
  workerMembership: number
}

/** The server's configuration: every port free, persistence and SQL visibility on `pg`. */
function serverConfig(pg: Postgres, ports: ServerPorts, dynamicConfigPath: string): string {
  const store = (database: string, maxConns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: "127.0.0.1:${pg.port}"
        connectProtocol: tcp
        user: ${pg.user}
        password: ""
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: 1h`
  const service = (grpc: number, membership: number, http?: number) => `
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${http ? `\n      httpPort: ${http}` : ''}`
  return `# Written by tests/bench (temporal-cluster.ts) for one bench run.
log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: ${HISTORY_SHARDS}
  datastores:
    default:${store('temporal', 20)}
    visibility:${store('temporal_visibility', 10)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:
  frontend:${service(ports.frontend, ports.frontendMembership, ports.frontendHttp)}
  history:${service(ports.history, ports.historyMembership)}
  matching:${service(ports.matching, ports.matchingMembership)}
  worker:${service(ports.worker, ports.workerMembership)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:${ports.frontend}"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${dynamicConfigPath}
  pollInterval: 10s
`
}

/**
 * As `temporal server start-dev` does: search attributes registered a moment ago are seen at
 * once, not after the frontend's cache refreshes (the Workers start right after).
 */
const DYNAMIC_CONFIG = `system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
`

export interface TemporalCluster {
  address: string
  /** The server process (frontend, history, matching and worker services in one). */
  serverPid(): number | undefined
  postgresPid(): number | undefined
  /** PostgreSQL's statistics so far (each read is one more transaction). */
  postgresActivity(): PostgresActivity
  stop(): Promise<void>
}

/** Whether the frontend answers (a server built from source has no namespace yet to describe). */
async function isServing(address: string): Promise<boolean> {
  const probe = await Connection.connect({ address, connectTimeout: 1_000 })
  try {
    await probe.workflowService.getSystemInfo({})
    return true
  } finally {
    await probe.close().catch(() => undefined)
  }
}

/**
 * PostgreSQL, the schemas, the server, the `default` namespace and our search attributes, in
 * `dir` (the caller removes it). Resolves once a visibility query on our attributes is answered.
 */
export async function startTemporalCluster(dir: string): Promise<TemporalCluster> {
  const binaries = ensureServerBinaries()
  const pg = await startPostgres(dir)
  let server: ChildProcess | undefined
  let connection: Connection | undefined
  const stop = async () => {
    await connection?.close().catch(() => undefined)
    if (server) await stopChild(server, 'SIGTERM', 30_000)
    await pg.stop()
  }
  try {
    setUpSchemas(binaries, pg)
    const ports: ServerPorts = {
      frontend: await lowFreePort(),
      frontendHttp: await lowFreePort(),
      frontendMembership: await lowFreePort(),
      history: await lowFreePort(),
      historyMembership: await lowFreePort(),
      matching: await lowFreePort(),
      matchingMembership: await lowFreePort(),
      worker: await lowFreePort(),
      workerMembership: await lowFreePort(),
    }
    const dynamicConfigPath = join(dir, 'dynamicconfig.yaml')
    writeFileSync(dynamicConfigPath, DYNAMIC_CONFIG)
    const configPath = join(dir, 'temporal-server.yaml')
    writeFileSync(configPath, serverConfig(pg, ports, dynamicConfigPath))
    const child = spawn(
      'nice',
      ['-n', '19', binaries.server, '--config-file', configPath, '--allow-no-auth', 'start'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    server = child
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)))
    child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)))
    const address = `127.0.0.1:${ports.frontend}`
    const exited = () => {
      if (hasExited(child))
        throw new WaitAborted(`temporal server exited (code ${child.exitCode}):\n${output.slice(-4_000)}`)
    }
    await waitFor(
      `the Temporal server at ${address}`,
      async () => {
        exited()
        return isServing(address)
      },
      120_000,
      250,
    )
    connection = await Connection.connect({ address })
    registerDefaultNamespace(address)
    const ready: Connection = connection
    await waitFor(
      'the default namespace',
      async () => {
        exited()
        return ready.workflowService
          .describeNamespace({ namespace: 'default' })
          .then(() => true)
          .catch(() => false)
      },
      60_000,
      250,
    )
    await registerSearchAttributes(connection)
    // The Workers and the API filter on these: wait until the frontend validates a query on them.
    const query = orderSearchAttributes.map((key) => `${key.name} IS NULL`).join(' AND ')
    await waitFor(
      'our search attributes in visibility',
      async () => {
        exited()
        return ready.workflowService
          .listWorkflowExecutions({ namespace: 'default', query, pageSize: 1 })
          .then(() => true)
          .catch(() => false)
      },
      60_000,
      250,
    )
    return {
      address,
      serverPid: () => child.pid,
      postgresPid: () => pg.process.pid,
      postgresActivity: () => pg.activity(),
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

/** A server built from source has no namespace: `default`, made as an operator makes it, with the CLI. */
function registerDefaultNamespace(address: string): void {
  const created = spawnSync(
    temporalCliPath(),
    ['operator', 'namespace', 'create', '--address', address, '--namespace', 'default', '--retention', '24h'],
    { encoding: 'utf8' },
  )
  if (created.status !== 0)
    throw new Error(`creating the default namespace failed:\n${created.stdout}${created.stderr}`)
}
