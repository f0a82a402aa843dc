import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Client } from '@temporalio/client'
import type { OrderWaits } from '@durable-delivery/common'
import {
  DEFAULTS,
  loadOrderWaits,
  loadSiteConfig,
  loadTemporalConfig,
  type SiteConfig,
  type TemporalConfig,
} from '@durable-delivery/common/config'
import { cookieIdentity } from './auth/cookie-identity'
import { DriverDirectory } from './auth/driver-directory'
import { fixedIdentity, type Identity } from './auth/identity'
import { sessionSecret } from './auth/session-secret'
import { createProcessShared, NO_LIMITS, processShared, type ProcessShared } from './process-shared'
import { getTemporalClient } from './temporal-client'

/**
 * What every procedure needs. Tests build it around a client and an identity of their own and
 * call routers through `createCaller`; the sites build it per request around the shared client
 * and the request's cookies (`createRequestContext`).
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
  /** Whether answers carry links into the Web UI (operators only: OPERATOR_LINKS). */
  operatorLinks: boolean
  /** Deadline of each call to Temporal, so that a slow server or a missing Worker never hangs a request. */
  rpcTimeoutMs: number
  /** How long createOrder waits for a new order's charge to settle before answering without its status. */
  paymentWaitMs: number
  /** Shorter pickup/delivery/rating waits for new orders (ORDER_* variables); empty keeps the workflow's defaults. */
  orderWaits: OrderWaits
  /** Who is asking. */
  identity: Identity
  /** Who may sign in as a driver. */
  drivers: DriverDirectory
  /** Rate limits and shared reads of the process. */
  shared: ProcessShared
  /** Live cards this process long-polls (LIVE_LONG_POLLS); the rest share its visibility sweep. */
  liveLongPolls: number
  /** Live cards read the status from the history (true) or with a Query per workflow task (false: the cost bench's "before"). */
  liveProjection: boolean
}

export interface InnerContextOptions {
  client: Client | (() => Promise<Client>)
  taskQueue?: string
  namespace?: string
  uiUrl?: string
  operatorLinks?: boolean
  rpcTimeoutMs?: number
  paymentWaitMs?: number
  orderWaits?: OrderWaits
  identity?: Identity
  drivers?: DriverDirectory
  shared?: ProcessShared
  liveLongPolls?: number
  liveProjection?: boolean
}

export const DEFAULT_RPC_TIMEOUT_MS = 5_000
/**
 * The charge takes a few tens of milliseconds when the payment service answers at once
 * (docs/benchmarks.md, place); a retried charge takes a second or more, and by then the customer
 * should see their order (Charging card) rather than a busy button.
 */
export const DEFAULT_PAYMENT_WAIT_MS = 500

export function createInnerContext(options: InnerContextOptions): InnerContext {
  const { client } = options
  return {
    getClient: typeof client === 'function' ? client : () => Promise.resolve(client),
    taskQueue: options.taskQueue ?? DEFAULTS.taskQueue,
    namespace: options.namespace ?? (typeof client === 'function' ? DEFAULTS.namespace : client.options.namespace),
    uiUrl: options.uiUrl ?? DEFAULTS.uiUrl,
    operatorLinks: options.operatorLinks ?? true,
    rpcTimeoutMs: options.rpcTimeoutMs ?? DEFAULT_RPC_TIMEOUT_MS,
    paymentWaitMs: options.paymentWaitMs ?? DEFAULT_PAYMENT_WAIT_MS,
    orderWaits: options.orderWaits ?? {},
    identity: options.identity ?? fixedIdentity(),
    drivers: options.drivers ?? new DriverDirectory({ driverAccounts: [], production: false }),
    shared: options.shared ?? createProcessShared(),
    liveLongPolls: options.liveLongPolls ?? DEFAULTS.liveLongPolls,
    liveProjection: options.liveProjection ?? true,
  }
}

export type Site = 'menu' | 'driver'

interface ProcessConfig {
  temporal: TemporalConfig
  orderWaits: OrderWaits
  site: SiteConfig
  secret: string
  drivers: DriverDirectory
}

const processConfigs = new Map<Site, ProcessConfig>()

/** The validated configuration of a site's process, read once (a bad value throws its one-line ConfigError). */
export function siteProcessConfig(site: Site): ProcessConfig {
  let config = processConfigs.get(site)
  if (!config) {
    const siteConfig = loadSiteConfig(site)
    config = {
      temporal: loadTemporalConfig(),
      orderWaits: loadOrderWaits(),
      site: siteConfig,
      secret: sessionSecret(siteConfig),
      drivers: new DriverDirectory(siteConfig),
    }
    processConfigs.set(site, config)
  }
  return config
}

/**
 * The request wrapper of a site: the process's shared client, the validated configuration, and
 * who is asking, from the request's signed cookies. The menu gives every new browser a customer.
 */
export function createRequestContext(site: Site, req: IncomingMessage, res: ServerResponse): InnerContext {
  const config = siteProcessConfig(site)
  return createInnerContext({
    client: () => getTemporalClient(config.temporal),
    taskQueue: config.temporal.taskQueue,
    namespace: config.temporal.namespace,
    uiUrl: config.temporal.uiUrl,
    operatorLinks: config.site.operatorLinks,
    orderWaits: config.orderWaits,
    identity: cookieIdentity(req, res, {
      secret: config.secret,
      drivers: config.drivers,
      mintsCustomers: site === 'menu',
    }),
    drivers: config.drivers,
    shared: processShared(config.site.rateLimits ? undefined : NO_LIMITS),
    liveLongPolls: config.site.liveLongPolls,
  })
}
