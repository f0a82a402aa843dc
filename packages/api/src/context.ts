import type { Client } from '@temporalio/client'
import type { OrderWaits } from '@durable-delivery/common'
import { DEFAULTS, loadOrderWaits, loadTemporalConfig, type TemporalConfig } from '@durable-delivery/common/config'
import { getTemporalClient } from './temporal-client'

/**
 * What every procedure needs, without anything from the HTTP request: tests build it around a
 * client of their own and call routers through `createCaller`; the sites build it around the
 * shared client (`createRequestContext`).
 */
export interface InnerContext {
  /** The Temporal Client, resolved lazily so that an unreachable server fails one request, not the process. */
  getClient: () => Promise<Client>
  /** Where `order` workflows run. */
  taskQueue: string
  /** Namespace of the orders, for links into the Web UI. */
  namespace: string
  /** Base URL of the Temporal Web UI, for operators' links. */
  uiUrl: string
  /** Deadline of each call to Temporal, so that a slow server or a missing Worker never hangs a request. */
  rpcTimeoutMs: number
  /** Shorter pickup/delivery/rating waits for new orders (ORDER_* variables); empty keeps the workflow's defaults. */
  orderWindows: OrderWaits
}

export interface InnerContextOptions {
  client: Client | (() => Promise<Client>)
  taskQueue?: string
  namespace?: string
  uiUrl?: string
  rpcTimeoutMs?: number
  orderWindows?: OrderWaits
}

export const DEFAULT_RPC_TIMEOUT_MS = 5_000

export function createInnerContext(options: InnerContextOptions): InnerContext {
  const { client } = options
  return {
    getClient: typeof client === 'function' ? client : () => Promise.resolve(client),
    taskQueue: options.taskQueue ?? DEFAULTS.taskQueue,
    namespace: options.namespace ?? (typeof client === 'function' ? DEFAULTS.namespace : client.options.namespace),
    uiUrl: options.uiUrl ?? DEFAULTS.uiUrl,
    rpcTimeoutMs: options.rpcTimeoutMs ?? DEFAULT_RPC_TIMEOUT_MS,
    orderWindows: options.orderWindows ?? {},
  }
}

let processConfig: { temporal: TemporalConfig; orderWindows: OrderWaits } | undefined

/**
 * The request wrapper of both sites: the process's shared client and the validated configuration
 * (read once; a bad value fails every request with the ConfigError's one line naming the variable).
 */
export function createRequestContext(): InnerContext {
  processConfig ??= { temporal: loadTemporalConfig(), orderWindows: loadOrderWaits() }
  const { temporal: config, orderWindows } = processConfig
  return createInnerContext({
    client: () => getTemporalClient(config),
    taskQueue: config.taskQueue,
    namespace: config.namespace,
    uiUrl: config.uiUrl,
    orderWindows,
  })
}
