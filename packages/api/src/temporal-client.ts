import { Client, Connection } from '@temporalio/client'
import { loadTemporalConfig, type TemporalConfig } from '@durable-delivery/common/config'
import { connectionOptions } from '@durable-delivery/common/temporal-connection'
import { siteRetryInterceptors } from './grpc-retries'

/**
 * The one Temporal Client of a server process (server-only: the Next API routes import it, pages
 * never do). The original sample opened a new connection on every request and never closed it;
 * here the first request connects, later requests reuse that connection, and a failed attempt is
 * forgotten so that the next request tries again once the server is back.
 */
if ('window' in globalThis)
  throw new Error('temporal-client is server-only: import it from API routes, never from pages')

/** How long connecting may take before a request answers SERVICE_UNAVAILABLE instead of hanging. */
export const CONNECT_TIMEOUT_MS = 3_000

export class TemporalUnavailableError extends Error {
  override name = 'TemporalUnavailableError'
}

interface Shared {
  client?: Promise<Client>
}

// On globalThis so that Next's dev server, which re-evaluates modules on every edit, keeps one
// connection per process instead of one per reload.
const shared: Shared = ((globalThis as { __durableDeliveryTemporal?: Shared }).__durableDeliveryTemporal ??= {})

export async function connectTemporalClient(config: TemporalConfig): Promise<Client> {
  try {
    const connection = await Connection.connect({
      ...connectionOptions(config),
      connectTimeout: CONNECT_TIMEOUT_MS,
      interceptors: siteRetryInterceptors(),
    })
    return new Client({ connection, namespace: config.namespace })
  } catch (error) {
    const reason =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)
    // The answer a page shows says what happened, not where: the address is in the log only.
    console.error(`Cannot reach the Temporal server at ${config.address}: ${reason}`)
    throw new TemporalUnavailableError('Cannot reach the Temporal server', { cause: error })
  }
}

/** The shared client, connecting on first use (configuration from the environment). */
export function getTemporalClient(config: TemporalConfig = loadTemporalConfig()): Promise<Client> {
  if (!shared.client) {
    const connecting = connectTemporalClient(config)
    shared.client = connecting
    // Do not cache a rejection: the next request gets a fresh attempt.
    connecting.catch(() => {
      if (shared.client === connecting) shared.client = undefined
    })
  }
  return shared.client
}

/** Closes the shared connection (graceful shutdown, tests). The next request reconnects. */
export async function closeTemporalClient(): Promise<void> {
  const pending = shared.client
  shared.client = undefined
  const client = await pending?.catch(() => undefined)
  await client?.connection.close()
}
