import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startDevServer, type DevServer } from '@durable-delivery/toolchain'
import { startWorkerProcess, type WorkerProcess } from './worker-process'

export interface StackOptions {
  /** Namespaces besides `default`, for test files that need a visibility (or a Worker) of their own. */
  namespaces?: string[]
  /** The namespaces a shared Worker polls, one Worker each; `default` when omitted. */
  workers?: string[]
  /** Further environment of the shared Workers (e.g. the simulated restaurant's RESTAURANT_* settings). */
  workerEnv?: Record<string, string>
}

export interface Stack {
  /** host:port of the Temporal frontend. */
  address: string
  workers: WorkerProcess[]
  stop(): Promise<void>
}

/**
 * One Temporal dev server (free port, our search attributes on every namespace) and the Workers
 * its test files share.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const server: DevServer = await startDevServer({ extraNamespaces: options.namespaces })
  const workers: WorkerProcess[] = []
  const stop = async () => {
    await Promise.all(workers.map((worker) => worker.stop()))
    await server.stop()
  }
  try {
    for (const namespace of options.workers ?? ['default'])
      workers.push(await startTestWorker(server.address, namespace, options.workerEnv))
  } catch (error) {
    await stop()
    throw error
  }
  return { address: server.address, workers, stop }
}

/**
 * The real compiled Worker on `namespace`, with a ledger of its own (removed when it stops) and
 * payment, notification and restaurant services that never fail: randomness is the fault suite's subject.
 * A test file that stops its Worker on purpose starts it with this rather than sharing the stack's;
 * `env` adds to (or overrides) that environment.
 */
export async function startTestWorker(
  address: string,
  namespace = 'default',
  env: Record<string, string> = {},
): Promise<WorkerProcess> {
  const ledgerDir = mkdtempSync(join(tmpdir(), 'test-worker-ledger-'))
  const worker = await startWorkerProcess({
    address,
    namespace,
    env: {
      PAYMENT_FAILURE_RATE: '0',
      NOTIFICATION_FAILURE_RATE: '0',
      RESTAURANT_FAILURE_RATE: '0',
      RESTAURANT_DECLINE_RATE: '0',
      LEDGER_PATH: join(ledgerDir, 'ledger.sqlite'),
      // Other suites' Workers may run beside this one: no fixed metrics or health ports.
      WORKER_METRICS_PORT: 'off',
      WORKER_HEALTH_PORT: 'off',
      ...env,
    },
  }).catch((error: unknown) => {
    rmSync(ledgerDir, { recursive: true, force: true })
    throw error
  })
  return {
    ...worker,
    async stop(signal) {
      const code = await worker.stop(signal)
      rmSync(ledgerDir, { recursive: true, force: true })
      return code
    },
  }
}
