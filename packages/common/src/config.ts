import { existsSync, readFileSync } from 'node:fs'
import { z } from 'zod'

/**
 * The one validated configuration of Durable Delivery (design.md section 3), read by the Worker
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
  /** SQLite file where the simulated payment service keeps its ledger. */
  ledgerPath: string
}

export interface Config {
  temporal: TemporalConfig
  services: ServicesConfig
}

type Env = Record<string, string | undefined>

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
    throw new ConfigError(`${name}: ${reason} (got ${JSON.stringify(raw)})`)
  }
  return result.data
}

/** PEM text as it is, or the contents of the file a path names. */
function readPem(env: Env, name: string): Buffer | undefined {
  const value = read(env, [name], nonEmpty)
  if (value === undefined) return undefined
  if (value.includes('-----BEGIN')) return Buffer.from(value.replace(/\\n/g, '\n'))
  if (!existsSync(value)) throw new ConfigError(`${name}: is neither PEM text nor the path of a readable file (${value})`)
  const pem = readFileSync(value)
  if (!pem.includes('-----BEGIN')) throw new ConfigError(`${name}: the file ${value} holds no PEM data`)
  return pem
}

export function loadTemporalConfig(env: Env = process.env): TemporalConfig {
  const crt = readPem(env, 'TEMPORAL_TLS_CERT')
  const key = readPem(env, 'TEMPORAL_TLS_KEY')
  if (crt && !key) throw new ConfigError('TEMPORAL_TLS_KEY: must be set when TEMPORAL_TLS_CERT is set')
  if (key && !crt) throw new ConfigError('TEMPORAL_TLS_CERT: must be set when TEMPORAL_TLS_KEY is set')
  const apiKey = read(env, ['TEMPORAL_API_KEY'], nonEmpty)
  const clientCertPair = crt && key ? { crt, key } : undefined
  return {
    address: read(env, ['TEMPORAL_ADDRESS', 'TEMPORAL_SERVER'], hostPort, 'localhost:7233')!,
    namespace: read(env, ['TEMPORAL_NAMESPACE', 'NAMESPACE'], nonEmpty, 'default')!,
    taskQueue: read(env, ['TEMPORAL_TASK_QUEUE'], nonEmpty, 'durable-delivery')!,
    // An API key implies TLS (Temporal Cloud); a client certificate pair is mTLS.
    tls: clientCertPair ? { clientCertPair } : apiKey ? {} : undefined,
    apiKey,
    uiUrl: read(env, ['TEMPORAL_UI_URL'], httpUrl, 'http://localhost:8233')!,
  }
}

export function loadServicesConfig(env: Env = process.env): ServicesConfig {
  return {
    paymentFailureRate: read(env, ['PAYMENT_FAILURE_RATE'], rate, '0.7')!,
    notificationFailureRate: read(env, ['NOTIFICATION_FAILURE_RATE'], rate, '0.7')!,
    ledgerPath: read(env, ['LEDGER_PATH'], nonEmpty, '.data/ledger.sqlite')!,
  }
}

export function loadConfig(env: Env = process.env): Config {
  return { temporal: loadTemporalConfig(env), services: loadServicesConfig(env) }
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
