import { existsSync, readFileSync } from 'node:fs'
import { z } from 'zod'
import type { OrderWaits } from './order-options'
import { getProductById } from './products'

/**
 * The one validated configuration of Durable Delivery (docs/architecture.md, Configuration), read by the Worker
 * and both sites. Server-only. A bad value throws a ConfigError whose message is one line naming
 * the variable, so a process can print it and exit at startup instead of failing later.
 */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

export interface TlsPair {
  crt: Buffer
  key: Buffer
}

export interface TemporalConfig {
  address: string
  namespace: string
  taskQueue: string
  tls?: { clientCertPair?: TlsPair }
  apiKey?: string
  uiUrl: string
}

export interface ServicesConfig {
  paymentFailureRate: number
  notificationFailureRate: number
  /** How long each simulated call takes, like a real network round trip (0 = instant). */
  paymentLatencyMs: number
  notificationLatencyMs: number
  /** SQLite file where the simulated payment service keeps its ledger (and the restaurant its order book). */
  ledgerPath: string
  restaurant: RestaurantConfig
}

/** The simulated restaurant the Worker runs (a cart's order: accept, prepare, ready). */
export interface RestaurantConfig {
  /** `auto` answers each order by itself; `manual` only receives them: operators answer from the CLI. */
  mode: 'auto' | 'manual'
  /** How long the kitchen takes to accept (or decline) an order. */
  acceptMs: number
  /** How long each item takes to prepare once accepted. */
  prepMsPerItem: number
  /** Chance (0-1) that the kitchen declines an order. */
  declineRate: number
  /** Chance (0-1) that sending an order to the restaurant fails transiently. */
  failureRate: number
  /** Dishes the kitchen is out of: a cart with one of them and others gets a shortage. */
  soldOut: number[]
}

export interface Config {
  temporal: TemporalConfig
  services: ServicesConfig
}

export type LogFormat = 'json' | 'pretty'
export type LogLevelName = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR'

/** How the Worker process is operated: where it is watched from and how it stops. */
export interface OpsConfig {
  /** Port of the SDK's Prometheus exporter (`/metrics`); undefined when turned off. */
  metricsPort?: number
  /** Port of the health endpoint (`/healthz`); undefined when turned off. */
  healthPort?: number
  logFormat: LogFormat
  logLevel: LogLevelName
  /** On SIGTERM/SIGINT, how long running activities get to finish before they are cancelled. */
  shutdownGraceMs: number
  /**
   * In development (NODE_ENV unset or `development`), a metrics or health port another process
   * holds moves to a free one with a warning, so `npm run dev` never dies over a side port; in
   * production (and tests) it stops the Worker with one line naming the port.
   */
  portsMayMove: boolean
  /** Workflows the Worker keeps in memory between tasks (0: none, every task replays its history). */
  maxCachedWorkflows: number
}

/** A driver who may sign in to the portal: the id and the scrypt hash of the password. */
export interface DriverAccount {
  driverId: string
  passwordHash: string
}

/** What a site needs to know who is asking (docs/operations.md, "Sign-in"). */
export interface SiteConfig {
  /** NODE_ENV=production: no generated secret, no demo driver, no operator links unless asked. */
  production: boolean
  /** Signs the session cookies; undefined in development, where a generated one is kept on disk. */
  sessionSecret?: string
  /** Empty in development means: offer a one-click demo driver. */
  driverAccounts: DriverAccount[]
  /** Whether pages link orders to the Temporal Web UI. */
  operatorLinks: boolean
  /** Limits on placing orders and signing in (off only for benchmarks and load tests). */
  rateLimits: boolean
  /** Live cards that each hold a history long poll; the rest share one visibility sweep (LIVE_LONG_POLLS). */
  liveLongPolls: number
}

export interface WorkerProcessConfig extends Config {
  ops: OpsConfig
}

type Env = Record<string, string | undefined>

/**
 * Every variable this module reads, by who reads it, the preferred name first in each alias
 * list. The loaders below read through these lists, and the deploy configs (render.yaml,
 * vercel.json) are checked against them, so the three cannot drift apart.
 */
export const CONFIG_VARIABLES = {
  temporal: {
    address: ['TEMPORAL_ADDRESS', 'TEMPORAL_SERVER'],
    namespace: ['TEMPORAL_NAMESPACE', 'NAMESPACE'],
    taskQueue: ['TEMPORAL_TASK_QUEUE'],
    tlsCert: ['TEMPORAL_TLS_CERT'],
    tlsKey: ['TEMPORAL_TLS_KEY'],
    apiKey: ['TEMPORAL_API_KEY'],
    uiUrl: ['TEMPORAL_UI_URL'],
  },
  services: {
    paymentFailureRate: ['PAYMENT_FAILURE_RATE'],
    notificationFailureRate: ['NOTIFICATION_FAILURE_RATE'],
    paymentLatencyMs: ['PAYMENT_LATENCY_MS'],
    notificationLatencyMs: ['NOTIFICATION_LATENCY_MS'],
    ledgerPath: ['LEDGER_PATH'],
    restaurantMode: ['RESTAURANT_MODE'],
    restaurantAcceptMs: ['RESTAURANT_ACCEPT_MS'],
    restaurantPrepMsPerItem: ['RESTAURANT_PREP_MS_PER_ITEM'],
    restaurantDeclineRate: ['RESTAURANT_DECLINE_RATE'],
    restaurantFailureRate: ['RESTAURANT_FAILURE_RATE'],
    restaurantSoldOut: ['RESTAURANT_SOLD_OUT'],
  },
  orders: {
    pickupWindow: ['ORDER_PICKUP_WINDOW'],
    deliveryWindow: ['ORDER_DELIVERY_WINDOW'],
    ratingDelay: ['ORDER_RATING_DELAY'],
    ratingWindow: ['ORDER_RATING_WINDOW'],
    paymentDeadline: ['ORDER_PAYMENT_DEADLINE'],
    acceptDeadline: ['ORDER_ACCEPT_DEADLINE'],
    shortageDeadline: ['ORDER_SHORTAGE_DEADLINE'],
  },
  sites: {
    sessionSecret: ['SESSION_SECRET'],
    driverAccounts: ['DRIVER_ACCOUNTS'],
    operatorLinks: ['OPERATOR_LINKS'],
    rateLimits: ['RATE_LIMITS'],
    liveLongPolls: ['LIVE_LONG_POLLS'],
  },
  ops: {
    nodeEnv: ['NODE_ENV'],
    metricsPort: ['WORKER_METRICS_PORT', 'METRICS_PORT'],
    healthPort: ['WORKER_HEALTH_PORT', 'HEALTH_PORT'],
    logFormat: ['LOG_FORMAT'],
    logLevel: ['LOG_LEVEL'],
    shutdownGraceTime: ['SHUTDOWN_GRACE_TIME'],
    maxCachedWorkflows: ['WORKER_MAX_CACHED_WORKFLOWS'],
  },
} as const satisfies Record<string, Record<string, readonly [string, ...string[]]>>

export type ConfigScope = keyof typeof CONFIG_VARIABLES
export const CONFIG_SCOPES = Object.keys(CONFIG_VARIABLES) as ConfigScope[]

type NameList = readonly [string, ...string[]]

/** Each variable a scope reads, as its list of names: the preferred one first, then its aliases. */
export function configNameLists(scope: ConfigScope): NameList[] {
  return Object.values<NameList>(CONFIG_VARIABLES[scope])
}

/** The preferred names of the variables a scope reads (aliases left out). */
export function configVariableNames(...scopes: ConfigScope[]): string[] {
  return scopes.flatMap((scope) => configNameLists(scope).map((names) => names[0]))
}

/** Variables that hold secrets: deploy configs must never carry their values. */
export const SECRET_VARIABLES: readonly string[] = [
  CONFIG_VARIABLES.temporal.apiKey[0],
  CONFIG_VARIABLES.temporal.tlsCert[0],
  CONFIG_VARIABLES.temporal.tlsKey[0],
  CONFIG_VARIABLES.sites.sessionSecret[0],
  CONFIG_VARIABLES.sites.driverAccounts[0],
]

/** Each default in one place: the loaders below, the API's test context and the harness use these. */
export const DEFAULTS = {
  address: 'localhost:7233',
  namespace: 'default',
  taskQueue: 'durable-delivery',
  uiUrl: 'http://localhost:8233',
  /** The seed's chance that a simulated call fails transiently. */
  failureRate: '0.7',
  ledgerPath: '.data/ledger.sqlite',
  shutdownGraceTime: '10s',
  /**
   * The SDK sizes its cache from the heap limit (about 2,300 workflows with Node's 4 GB default),
   * about 0.4 MB each: 1,000 open orders held 500 MB. With 1,000 open, 100 held the Worker at
   * 303 MiB and 50 at 274 MiB, at the same throughput on a dev server (its SQLite saturates before
   * the Worker replays much); an evicted order replays its few dozen events on its next task
   * (docs/benchmarks.md, memory).
   */
  maxCachedWorkflows: '50',
  /** Sending an order to the restaurant fails less often than the seed's services: a kitchen's tablet, not a card network. */
  restaurantFailureRate: '0.3',
  /** The walk-through on `npm run dev` stays short: accepted in 2 s, a second an item to cook. */
  restaurantAcceptMs: '2000',
  restaurantPrepMsPerItem: '1000',
  /**
   * A frontend admits 1,200 concurrent long polls per namespace and method (frontend.namespaceCount);
   * 200 a site process leaves room for several processes and the Web UI (docs/architecture.md, "Live order status").
   */
  liveLongPolls: 200,
} as const

/** The Worker's defaults for its ports; off under a test runner, where many Workers share a machine. */
export const DEFAULT_METRICS_PORT = 9464
export const DEFAULT_HEALTH_PORT = 9465

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port, like localhost:7233')

const nonEmpty = z.string().trim().min(1, 'must not be empty')

const rate = z
  .string()
  .trim()
  .regex(/^\d*\.?\d+$/, 'expected a number from 0 to 1')
  .transform(Number)
  .pipe(z.number().min(0, 'expected a number from 0 to 1').max(1, 'expected a number from 0 to 1'))

/** Simulated latency: capped well below the activities' 10 s start-to-close timeout. */
const latency = z
  .string()
  .trim()
  .regex(/^\d+$/, 'expected a whole number of milliseconds')
  .transform(Number)
  .pipe(z.number().max(5_000, 'expected at most 5000 milliseconds (activities time out after 10 s)'))

/** The simulated kitchen's times: a whole number of milliseconds, at most 10 minutes (the accept deadline is 5 by default). */
const kitchenMs = z
  .string()
  .trim()
  .regex(/^\d+$/, 'expected a whole number of milliseconds')
  .transform(Number)
  .pipe(z.number().max(600_000, 'expected at most 600000 milliseconds (10 minutes)'))

const restaurantMode = z.enum(['auto', 'manual'], { error: 'expected "auto" or "manual"' })

/** `4` or `1,4`: dishes of the menu, each once; empty for none. */
const productIds = z
  .string()
  .trim()
  .transform((value, context) => {
    const ids: number[] = []
    for (const part of value.split(',').map((entry) => entry.trim())) {
      if (part === '') continue
      const id = Number(part)
      if (!/^\d+$/.test(part) || getProductById(id) === undefined) context.addIssue(`no dish ${part} on the menu`)
      else if (!ids.includes(id)) ids.push(id)
    }
    return ids
  })

/** A TCP port, or `off`. */
const portOrOff = z
  .string()
  .trim()
  .regex(/^(\d{1,5}|off)$/, 'expected a port number (1-65535) or "off"')
  .transform((value) => (value === 'off' ? undefined : Number(value)))
  .pipe(
    z
      .number()
      .int()
      .min(1, 'expected a port number (1-65535) or "off"')
      .max(65535, 'expected a port number (1-65535) or "off"')
      .optional(),
  )

/** 0 turns the cache off; the SDK refuses 1 (a workflow task needs two slots). */
const cacheSize = z
  .string()
  .trim()
  .regex(/^\d+$/, 'expected a whole number of workflows (0 turns the cache off)')
  .transform(Number)
  .pipe(z.number().refine((value) => value !== 1, 'expected 0 (no cache) or at least 2'))

/** A budget of concurrent long polls: a whole number, 0 sweeping every card. */
const longPolls = z
  .string()
  .trim()
  .regex(/^\d+$/, 'expected a whole number of long polls (0: every card is swept)')
  .transform(Number)

const logFormat = z.enum(['json', 'pretty'], { error: 'expected "json" or "pretty"' })

const logLevel = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .pipe(
    z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'], { error: 'expected one of TRACE, DEBUG, INFO, WARN, ERROR' }),
  )

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000 } as const

/** A duration with its unit, like `30s`, `500ms` or `2m` (a bare number would be ambiguous). */
const duration = z
  .string()
  .trim()
  .regex(/^\d+\s*(ms|s|m)$/, 'expected a duration with a unit, like 30s, 500ms or 2m')
  .transform((value) => {
    const [, amount, unit] = /^(\d+)\s*(ms|s|m)$/.exec(value)!
    return Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS]
  })

const sessionSecret = z.string().trim().min(32, 'expected at least 32 characters (openssl rand -base64 32)')

/** A driver id as it appears in DriverId search attributes, links and logs. */
export const DRIVER_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/

/** `ana=scrypt$16384$8$1$salt$hash,ben=...`; messages name the entry by position, never its text. */
const driverAccounts = z
  .string()
  .trim()
  .transform((value, context) => {
    const accounts: DriverAccount[] = []
    for (const [index, entry] of value.split(',').entries()) {
      const [driverId = '', passwordHash = ''] = entry.trim().split(/=(.*)/s, 2)
      const where = `entry ${index + 1}`
      if (!DRIVER_ID_PATTERN.test(driverId)) {
        context.addIssue(`${where}: the id must be 1-64 of a-z, 0-9, '.', '_', '-' (starting with a letter or digit)`)
      } else if (!/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/_-]+={0,2}\$[A-Za-z0-9+/_-]+={0,2}$/.test(passwordHash)) {
        context.addIssue(`${where}: expected id=scrypt$... as printed by npm run driver-account`)
      } else if (accounts.some((account) => account.driverId === driverId)) {
        context.addIssue(`${where}: the same id as an earlier entry`)
      } else accounts.push({ driverId, passwordHash })
    }
    return accounts
  })

const onOff = z.enum(['on', 'off'], { error: 'expected "on" or "off"' }).transform((value) => value === 'on')

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
  .transform((url) => url.replace(/\/+$/, ''))

/** Reads one variable (or its first set alias), validates it, and names it in any error. */
function read<T>(env: Env, names: readonly string[], schema: z.ZodType<T>, fallback?: string): T | undefined {
  const name = names.find((candidate) => env[candidate] !== undefined && env[candidate] !== '') ?? names[0]!
  const raw = env[name] === '' ? undefined : env[name]
  if (raw === undefined && fallback === undefined) return undefined
  const result = schema.safeParse(raw ?? fallback)
  if (!result.success) {
    const reason = result.error.issues[0]?.message ?? 'invalid value'
    // A secret pasted wrongly is still a secret: its value never reaches a message or a log.
    const got = SECRET_VARIABLES.includes(name) ? '' : ` (got ${JSON.stringify(raw)})`
    throw new ConfigError(`${name}: ${reason}${got}`)
  }
  return result.data
}

/** PEM text as it is, or the contents of the file a path names. */
function readPem(env: Env, names: readonly [string, ...string[]]): Buffer | undefined {
  const name = names[0]
  const value = read(env, names, nonEmpty)
  if (value === undefined) return undefined
  if (value.includes('-----BEGIN')) return Buffer.from(value.replace(/\\n/g, '\n'))
  // The value may be a secret pasted wrongly: the messages never repeat it. The path is the
  // deployment's to choose, so the site's file tracing must not follow it (turbopackIgnore).
  if (!existsSync(/* turbopackIgnore: true */ value)) {
    throw new ConfigError(`${name}: is neither PEM text nor the path of a readable file`)
  }
  const pem = readFileSync(/* turbopackIgnore: true */ value)
  if (!pem.includes('-----BEGIN')) throw new ConfigError(`${name}: the file it names holds no PEM data`)
  return pem
}

export function loadTemporalConfig(env: Env = process.env): TemporalConfig {
  const names = CONFIG_VARIABLES.temporal
  const crt = readPem(env, names.tlsCert)
  const key = readPem(env, names.tlsKey)
  if (crt && !key) throw new ConfigError('TEMPORAL_TLS_KEY: must be set when TEMPORAL_TLS_CERT is set')
  if (key && !crt) throw new ConfigError('TEMPORAL_TLS_CERT: must be set when TEMPORAL_TLS_KEY is set')
  const apiKey = read(env, names.apiKey, nonEmpty)
  const clientCertPair = crt && key ? { crt, key } : undefined
  return {
    address: read(env, names.address, hostPort, DEFAULTS.address)!,
    namespace: read(env, names.namespace, nonEmpty, DEFAULTS.namespace)!,
    taskQueue: read(env, names.taskQueue, nonEmpty, DEFAULTS.taskQueue)!,
    // An API key implies TLS (Temporal Cloud); a client certificate pair is mTLS.
    tls: clientCertPair ? { clientCertPair } : apiKey ? {} : undefined,
    apiKey,
    uiUrl: read(env, names.uiUrl, httpUrl, DEFAULTS.uiUrl)!,
  }
}

export function loadServicesConfig(env: Env = process.env): ServicesConfig {
  const names = CONFIG_VARIABLES.services
  return {
    paymentFailureRate: read(env, names.paymentFailureRate, rate, DEFAULTS.failureRate)!,
    notificationFailureRate: read(env, names.notificationFailureRate, rate, DEFAULTS.failureRate)!,
    paymentLatencyMs: read(env, names.paymentLatencyMs, latency, '0')!,
    notificationLatencyMs: read(env, names.notificationLatencyMs, latency, '0')!,
    ledgerPath: read(env, names.ledgerPath, nonEmpty, DEFAULTS.ledgerPath)!,
    restaurant: {
      mode: read(env, names.restaurantMode, restaurantMode, 'auto')!,
      acceptMs: read(env, names.restaurantAcceptMs, kitchenMs, DEFAULTS.restaurantAcceptMs)!,
      prepMsPerItem: read(env, names.restaurantPrepMsPerItem, kitchenMs, DEFAULTS.restaurantPrepMsPerItem)!,
      declineRate: read(env, names.restaurantDeclineRate, rate, '0')!,
      failureRate: read(env, names.restaurantFailureRate, rate, DEFAULTS.restaurantFailureRate)!,
      soldOut: read(env, names.restaurantSoldOut, productIds, '')!,
    },
  }
}

/** A wait of the order: the workflow refuses zero, so refuse it here, at startup. */
const orderWait = duration.pipe(z.number().min(1, 'expected a duration above zero, like 30s'))

/**
 * Outside production, a rating is accepted for a minute after the prompt (production: the
 * workflow's hour), so that the seed's walk-through on the sites ends as the post says, the order
 * Completed in the Web UI soon after "rate your meal".
 */
export const DEVELOPMENT_RATING_WINDOW = '1m'

/**
 * The waits of the order's story (the `order` workflow's second argument, in milliseconds), read
 * by the API that starts orders. Unset ones keep the workflow's defaults (one minute each, two for
 * the payment, an hour for the rating window), except the rating window outside production.
 */
export function loadOrderWaits(env: Env = process.env): OrderWaits {
  const names = CONFIG_VARIABLES.orders
  const production = read(env, CONFIG_VARIABLES.ops.nodeEnv, nonEmpty) === 'production'
  const waits: OrderWaits = {
    pickupWindow: read(env, names.pickupWindow, orderWait),
    deliveryWindow: read(env, names.deliveryWindow, orderWait),
    ratingDelay: read(env, names.ratingDelay, orderWait),
    ratingWindow: read(env, names.ratingWindow, orderWait, production ? undefined : DEVELOPMENT_RATING_WINDOW),
    paymentDeadline: read(env, names.paymentDeadline, orderWait),
    acceptDeadline: read(env, names.acceptDeadline, orderWait),
    shortageDeadline: read(env, names.shortageDeadline, orderWait),
  }
  // Only the ones set: the workflow's history then shows exactly what was overridden.
  return Object.fromEntries(Object.entries(waits).filter(([, value]) => value !== undefined))
}

export function loadConfig(env: Env = process.env): Config {
  return { temporal: loadTemporalConfig(env), services: loadServicesConfig(env) }
}

/**
 * The sites' sign-in and access settings. In production a missing SESSION_SECRET stops both
 * sites, and missing DRIVER_ACCOUNTS stops the driver portal, with one line naming the variable.
 */
export function loadSiteConfig(site: 'menu' | 'driver', env: Env = process.env): SiteConfig {
  const names = CONFIG_VARIABLES.sites
  const production = read(env, CONFIG_VARIABLES.ops.nodeEnv, nonEmpty) === 'production'
  const secret = read(env, names.sessionSecret, sessionSecret)
  if (production && secret === undefined) {
    throw new ConfigError('SESSION_SECRET: must be set in production (a random string of at least 32 characters)')
  }
  const accounts = read(env, names.driverAccounts, driverAccounts) ?? []
  if (production && site === 'driver' && accounts.length === 0) {
    throw new ConfigError('DRIVER_ACCOUNTS: must be set in production (id=hash pairs from npm run driver-account)')
  }
  return {
    production,
    ...(secret === undefined ? {} : { sessionSecret: secret }),
    driverAccounts: accounts,
    operatorLinks: read(env, names.operatorLinks, onOff, production ? 'off' : 'on')!,
    rateLimits: read(env, names.rateLimits, onOff, 'on')!,
    liveLongPolls: read(env, names.liveLongPolls, longPolls, String(DEFAULTS.liveLongPolls))!,
  }
}

/**
 * The Worker's operations settings. NODE_ENV picks the defaults: JSON logs in production,
 * readable ones elsewhere; metrics and health ports on, except under a test runner
 * (NODE_ENV=test), where several Workers run at once and fixed ports would collide.
 */
export function loadOpsConfig(env: Env = process.env): OpsConfig {
  const names = CONFIG_VARIABLES.ops
  const nodeEnv = read(env, names.nodeEnv, nonEmpty)
  const portDefault = (port: number) => (nodeEnv === 'test' ? 'off' : String(port))
  return {
    metricsPort: read(env, names.metricsPort, portOrOff, portDefault(DEFAULT_METRICS_PORT)),
    healthPort: read(env, names.healthPort, portOrOff, portDefault(DEFAULT_HEALTH_PORT)),
    logFormat: read(env, names.logFormat, logFormat, nodeEnv === 'production' ? 'json' : 'pretty')!,
    logLevel: read(env, names.logLevel, logLevel, 'INFO')!,
    shutdownGraceMs: read(env, names.shutdownGraceTime, duration, DEFAULTS.shutdownGraceTime)!,
    portsMayMove: nodeEnv === undefined || nodeEnv === 'development',
    maxCachedWorkflows: read(env, names.maxCachedWorkflows, cacheSize, DEFAULTS.maxCachedWorkflows)!,
  }
}

/** Everything the Worker process reads: the shared config plus its operations settings. */
export function loadWorkerProcessConfig(env: Env = process.env): WorkerProcessConfig {
  const config = { ...loadConfig(env), ops: loadOpsConfig(env) }
  if (config.ops.metricsPort !== undefined && config.ops.metricsPort === config.ops.healthPort) {
    throw new ConfigError(`WORKER_HEALTH_PORT: must differ from WORKER_METRICS_PORT (both ${config.ops.metricsPort})`)
  }
  return config
}

/** For process entrypoints: the config, or one line on stderr and exit 1. */
export function loadConfigOrExit<T>(load: (env: Env) => T, env: Env = process.env): T {
  try {
    return load(env)
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`)
      process.exit(1)
    }
    throw error
  }
}
