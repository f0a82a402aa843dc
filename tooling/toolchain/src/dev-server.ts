import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { Connection } from '@temporalio/client'
import { searchAttributeCliFlags } from '@durable-delivery/common/search-attributes'
import { temporalCliPath } from './binaries'
import { hasExited, stopChild } from './child-process'
import { freePort, waitFor, WaitAborted } from './ports'

export interface DevServerOptions {
  ip?: string
  /** Frontend gRPC port; a free one when omitted. */
  port?: number
  /** Web UI port; the UI is off when omitted (tests do not need it). */
  uiPort?: number
  /** SQLite file that keeps state across restarts; in memory when omitted. */
  dbFilename?: string
  namespace?: string
  /** Further namespaces to create, for tests that need a visibility of their own on one server. */
  extraNamespaces?: string[]
  /** Where the server's own output goes ('ignore' for tests, 'inherit' for `npm run temporal`). */
  stdio?: 'ignore' | 'inherit'
  /** How long to wait for the namespace to be served. */
  readyTimeoutMs?: number
  /** Port of the server's Prometheus `/metrics` (requests by operation); a random one when omitted. */
  metricsPort?: number
  /** Dynamic config values (`--dynamic-config-value KEY=JSON`), e.g. `{ 'frontend.namespaceCount': 2 }`. */
  dynamicConfig?: Record<string, string | number | boolean>
}

export interface DevServer {
  address: string
  port: number
  uiUrl?: string
  namespace: string
  process: ChildProcess
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
  stop(): Promise<void>
}

/** Starts on a port of its own choosing at most this many times (see startDevServer). */
const FREE_PORT_ATTEMPTS = 3

/** `temporal server start-dev` with our search attributes registered, ready when this resolves. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  if (options.port !== undefined) return startDevServerOn(options.port, options)
  // A port free a moment ago can be taken before the server binds it (suites start servers side
  // by side, and the server picks further ports of its own): it then exits at once, and a fresh
  // port is tried instead of failing the suite.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServerOn(await freePort(), options)
    } catch (error) {
      if (!(error instanceof WaitAborted) || attempt >= FREE_PORT_ATTEMPTS) throw error
    }
  }
}

async function startDevServerOn(port: number, options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1'
  const namespace = options.namespace ?? 'default'
  const args = [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(port),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
  ]
  const namespaces = [namespace, ...(options.extraNamespaces ?? [])]
  for (const extra of options.extraNamespaces ?? []) args.push('--namespace', extra)
  if (options.metricsPort) args.push('--metrics-port', String(options.metricsPort))
  if (options.uiPort) args.push('--ui-port', String(options.uiPort))
  else args.push('--headless')
  if (options.dbFilename) {
    mkdirSync(dirname(options.dbFilename), { recursive: true })
    args.push('--db-filename', options.dbFilename)
  }
  for (const flag of searchAttributeCliFlags()) args.push('--search-attribute', flag)
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {}))
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`)

  const child = spawn(temporalCliPath(), args, { stdio: options.stdio ?? 'ignore' })
  const address = `${ip}:${port}`
  const stop = async () => {
    await stopChild(child)
  }

  try {
    await waitFor(
      `the Temporal dev server at ${address}`,
      async () => {
        if (hasExited(child)) {
          throw new WaitAborted(`temporal server start-dev exited (code ${child.exitCode}, signal ${child.signalCode})`)
        }
        for (const each of namespaces) if (!(await isServing(address, each))) return false
        return true
      },
      options.readyTimeoutMs ?? 60_000,
      200,
    )
  } catch (error) {
    await stop()
    throw error
  }
  return {
    address,
    port,
    uiUrl: options.uiPort ? `http://${ip === '0.0.0.0' ? 'localhost' : ip}:${options.uiPort}` : undefined,
    namespace,
    process: child,
    stop,
  }
}

/** Whether a Temporal frontend answers at `address` and serves `namespace`. */
export async function isServing(address: string, namespace = 'default'): Promise<boolean> {
  let connection: Connection | undefined
  try {
    connection = await Connection.connect({ address, connectTimeout: 1_000 })
    await connection.workflowService.describeNamespace({ namespace })
    return true
  } catch {
    return false
  } finally {
    await connection?.close().catch(() => undefined)
  }
}
