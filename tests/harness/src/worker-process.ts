import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { DEFAULTS } from '@durable-delivery/common/config'
import { repoRoot, stopChild } from '@durable-delivery/toolchain'

export interface WorkerProcessOptions {
  /** host:port of the Temporal frontend. */
  address: string
  namespace?: string
  taskQueue?: string
  /** Further environment (failure rates, LEDGER_PATH, ...). */
  env?: Record<string, string>
  /** How long to wait for the Worker to say it is ready. */
  readyTimeoutMs?: number
  /** Node.js arguments of another Worker (one that also prints "Worker ready"); the production Worker by default. */
  nodeArgs?: string[]
}

export interface WorkerProcess {
  process: ChildProcess
  /** Everything the Worker printed so far (stdout and stderr). */
  output(): string
  /** SIGTERM (graceful) or SIGKILL (a crash); resolves with the exit code (null if a signal ended it). */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/**
 * Starts the real, compiled Worker (`apps/worker/dist/worker.js`, with its prebuilt workflow
 * bundle) as a child process, the way production runs it, and resolves once it is polling.
 */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const args = options.nodeArgs ?? [join(repoRoot(), 'apps', 'worker', 'dist', 'worker.js')]
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: options.address,
      TEMPORAL_NAMESPACE: options.namespace ?? DEFAULTS.namespace,
      TEMPORAL_TASK_QUEUE: options.taskQueue ?? DEFAULTS.taskQueue,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Worker not ready after ${options.readyTimeoutMs ?? 60_000} ms:\n${output}`)),
      options.readyTimeoutMs ?? 60_000,
    )
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Worker ready')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`Worker exited with code ${code} before it was ready:\n${output}`))
    })
  })
  // A Worker whose server is gone may never finish a graceful stop: SIGKILL it after 30 s,
  // longer than any shutdown grace time the tests configure.
  const stop = (signal: NodeJS.Signals = 'SIGTERM') => stopChild(child, signal, 30_000)
  try {
    await ready
  } catch (error) {
    await stop('SIGKILL')
    throw error
  }
  return { process: child, output: () => output, stop }
}
