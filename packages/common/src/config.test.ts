import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  ConfigError,
  configNameLists,
  type ConfigScope,
  configVariableNames,
  loadConfig,
  loadConfigOrExit,
  loadOpsConfig,
  loadOrderWaits,
  loadServicesConfig,
  loadTemporalConfig,
  loadWorkerProcessConfig,
} from './config'

const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
const PEM_KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'

/** The one-line message a process would print for this environment. */
function errorOf(load: () => unknown): string {
  try {
    load()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as Error).message
    expect(message).not.toContain('\n')
    return message
  }
  throw new Error('expected a ConfigError')
}

describe('defaults', () => {
  it('match docs/architecture.md (Configuration) when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      temporal: {
        address: 'localhost:7233',
        namespace: 'default',
        taskQueue: 'durable-delivery',
        tls: undefined,
        apiKey: undefined,
        uiUrl: 'http://localhost:8233',
      },
      services: {
        paymentFailureRate: 0.7,
        notificationFailureRate: 0.7,
        paymentLatencyMs: 0,
        notificationLatencyMs: 0,
        ledgerPath: '.data/ledger.sqlite',
        restaurant: {
          mode: 'auto',
          acceptMs: 2000,
          prepMsPerItem: 1000,
          declineRate: 0,
          failureRate: 0.3,
          soldOut: [],
        },
      },
    })
  })

  it('treat an empty variable as unset', () => {
    expect(loadTemporalConfig({ TEMPORAL_ADDRESS: '', TEMPORAL_NAMESPACE: '' })).toMatchObject({
      address: 'localhost:7233',
      namespace: 'default',
    })
  })

  it('give the Worker JSON logs in production and readable ones elsewhere', () => {
    expect(loadOpsConfig({ NODE_ENV: 'production' }).logFormat).toBe('json')
    expect(loadOpsConfig({ NODE_ENV: 'development' }).logFormat).toBe('pretty')
    expect(loadOpsConfig({}).logFormat).toBe('pretty')
    expect(loadOpsConfig({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty')
  })

  it('serve metrics and health on fixed ports, except under a test runner where Workers share the machine', () => {
    expect(loadOpsConfig({})).toMatchObject({
      metricsPort: 9464,
      healthPort: 9465,
      logLevel: 'INFO',
      shutdownGraceMs: 10_000,
    })
    expect(loadOpsConfig({ NODE_ENV: 'test' })).toMatchObject({ metricsPort: undefined, healthPort: undefined })
    expect(loadOpsConfig({ NODE_ENV: 'test', WORKER_METRICS_PORT: '9100' }).metricsPort).toBe(9100)
  })
})

describe('accepted values', () => {
  it('reads the aliases the seed used (TEMPORAL_SERVER, NAMESPACE) and the preferred names first', () => {
    expect(loadTemporalConfig({ TEMPORAL_SERVER: 'temporal:7233', NAMESPACE: 'orders' })).toMatchObject({
      address: 'temporal:7233',
      namespace: 'orders',
    })
    expect(loadTemporalConfig({ TEMPORAL_ADDRESS: 'a:1', TEMPORAL_SERVER: 'b:2' }).address).toBe('a:1')
  })

  it('takes a Temporal Cloud API key, which implies TLS', () => {
    const config = loadTemporalConfig({
      TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233',
      TEMPORAL_API_KEY: 'secret',
    })
    expect(config).toMatchObject({ apiKey: 'secret', tls: {} })
  })

  it('takes the mTLS pair as PEM text, with escaped newlines as env files write them', () => {
    const config = loadTemporalConfig({ TEMPORAL_TLS_CERT: PEM_CERT.replace(/\n/g, '\\n'), TEMPORAL_TLS_KEY: PEM_KEY })
    expect(config.tls?.clientCertPair?.crt.toString().trim()).toBe(PEM_CERT.trim())
    expect(config.tls?.clientCertPair?.key.toString().trim()).toBe(PEM_KEY.trim())
  })

  it('takes the mTLS pair as file paths', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-test-'))
    writeFileSync(join(dir, 'client.pem'), PEM_CERT)
    writeFileSync(join(dir, 'client.key'), PEM_KEY)
    const config = loadTemporalConfig({
      TEMPORAL_TLS_CERT: join(dir, 'client.pem'),
      TEMPORAL_TLS_KEY: join(dir, 'client.key'),
    })
    expect(config.tls?.clientCertPair?.crt.toString()).toBe(PEM_CERT)
  })

  it('takes ops values in their documented forms', () => {
    expect(
      loadOpsConfig({ WORKER_METRICS_PORT: 'off', HEALTH_PORT: '8080', LOG_LEVEL: 'debug', SHUTDOWN_GRACE_TIME: '2m' }),
    ).toEqual({
      metricsPort: undefined,
      healthPort: 8080,
      logFormat: 'pretty',
      logLevel: 'DEBUG',
      shutdownGraceMs: 120_000,
      portsMayMove: true,
      maxCachedWorkflows: 50,
    })
    expect(loadOpsConfig({ SHUTDOWN_GRACE_TIME: '500ms' }).shutdownGraceMs).toBe(500)
    // Only development lets a taken side port move; production and tests fail loudly.
    expect(
      [undefined, 'development', 'production', 'test'].map((NODE_ENV) => loadOpsConfig({ NODE_ENV }).portsMayMove),
    ).toEqual([true, true, false, false])
    expect(loadServicesConfig({ PAYMENT_LATENCY_MS: '1500', NOTIFICATION_FAILURE_RATE: '0' })).toMatchObject({
      paymentLatencyMs: 1500,
      notificationFailureRate: 0,
    })
  })

  it('takes the order waits and the payment deadline with a unit, leaving unset ones to the workflow', () => {
    const production = { NODE_ENV: 'production' }
    expect(loadOrderWaits({ ...production, ORDER_PICKUP_WINDOW: '30s', ORDER_PAYMENT_DEADLINE: '2m' })).toEqual({
      pickupWindow: 30_000,
      paymentDeadline: 120_000,
    })
    expect(loadOrderWaits(production)).toEqual({})
    // Outside production a rating window of a minute, so the seed's walk-through ends soon after the prompt.
    expect(loadOrderWaits({})).toEqual({ ratingWindow: 60_000 })
    expect(loadOrderWaits({ NODE_ENV: 'development' })).toEqual({ ratingWindow: 60_000 })
    expect(loadOrderWaits({ ORDER_RATING_WINDOW: '5m' })).toEqual({ ratingWindow: 300_000 })
    expect(errorOf(() => loadOrderWaits({ ORDER_PAYMENT_DEADLINE: '120' }))).toMatch(
      /^ORDER_PAYMENT_DEADLINE: expected a duration with a unit/,
    )
    expect(errorOf(() => loadOrderWaits({ ORDER_PAYMENT_DEADLINE: '0s' }))).toMatch(
      /^ORDER_PAYMENT_DEADLINE: expected a duration above zero/,
    )
  })

  it("takes a cart's waits for the restaurant and the shortage, with a unit", () => {
    expect(
      loadOrderWaits({ NODE_ENV: 'production', ORDER_ACCEPT_DEADLINE: '90s', ORDER_SHORTAGE_DEADLINE: '1m' }),
    ).toEqual({ acceptDeadline: 90_000, shortageDeadline: 60_000 })
    expect(errorOf(() => loadOrderWaits({ ORDER_SHORTAGE_DEADLINE: '0m' }))).toMatch(
      /^ORDER_SHORTAGE_DEADLINE: expected a duration above zero/,
    )
  })

  it("reads the simulated restaurant: manual mode, the kitchen's times, and the dishes it is out of", () => {
    expect(
      loadServicesConfig({
        RESTAURANT_MODE: 'manual',
        RESTAURANT_ACCEPT_MS: '0',
        RESTAURANT_PREP_MS_PER_ITEM: '250',
        RESTAURANT_DECLINE_RATE: '0.1',
        RESTAURANT_FAILURE_RATE: '0',
        RESTAURANT_SOLD_OUT: ' 4, 2,4 ',
      }).restaurant,
    ).toEqual({ mode: 'manual', acceptMs: 0, prepMsPerItem: 250, declineRate: 0.1, failureRate: 0, soldOut: [4, 2] })
  })
})

describe('a bad value is one line naming the variable', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['address without a port', { TEMPORAL_ADDRESS: 'localhost' }, /^TEMPORAL_ADDRESS: expected host:port/],
    ['address under its alias', { TEMPORAL_SERVER: 'http://x:7233' }, /^TEMPORAL_SERVER: expected host:port/],
    ['blank namespace', { TEMPORAL_NAMESPACE: '   ' }, /^TEMPORAL_NAMESPACE: must not be empty/],
    ['blank task queue', { TEMPORAL_TASK_QUEUE: ' ' }, /^TEMPORAL_TASK_QUEUE: must not be empty/],
    ['blank API key', { TEMPORAL_API_KEY: ' ' }, /^TEMPORAL_API_KEY: must not be empty/],
    ['UI URL that is not http', { TEMPORAL_UI_URL: 'ftp://ui' }, /^TEMPORAL_UI_URL: expected an http\(s\) URL/],
    [
      'certificate that is neither PEM nor a file',
      { TEMPORAL_TLS_CERT: 'MIIB-secret-looking', TEMPORAL_TLS_KEY: PEM_KEY },
      /^TEMPORAL_TLS_CERT: is neither PEM text nor the path of a readable file$/,
    ],
    [
      'certificate without its key',
      { TEMPORAL_TLS_CERT: PEM_CERT },
      /^TEMPORAL_TLS_KEY: must be set when TEMPORAL_TLS_CERT is set/,
    ],
    [
      'key without its certificate',
      { TEMPORAL_TLS_KEY: PEM_KEY },
      /^TEMPORAL_TLS_CERT: must be set when TEMPORAL_TLS_KEY is set/,
    ],
    ['failure rate above 1', { PAYMENT_FAILURE_RATE: '1.5' }, /^PAYMENT_FAILURE_RATE: expected a number from 0 to 1/],
    [
      'failure rate that is not a number',
      { NOTIFICATION_FAILURE_RATE: 'often' },
      /^NOTIFICATION_FAILURE_RATE: expected a number from 0 to 1/,
    ],
    [
      'latency that is not milliseconds',
      { PAYMENT_LATENCY_MS: '2s' },
      /^PAYMENT_LATENCY_MS: expected a whole number of milliseconds/,
    ],
    [
      'latency past the activity timeout',
      { NOTIFICATION_LATENCY_MS: '20000' },
      /^NOTIFICATION_LATENCY_MS: expected at most 5000/,
    ],
    ['blank ledger path', { LEDGER_PATH: ' ' }, /^LEDGER_PATH: must not be empty/],
    ['unknown restaurant mode', { RESTAURANT_MODE: 'robot' }, /^RESTAURANT_MODE: expected "auto" or "manual"/],
    [
      'accept time past ten minutes',
      { RESTAURANT_ACCEPT_MS: '600001' },
      /^RESTAURANT_ACCEPT_MS: expected at most 600000 milliseconds/,
    ],
    [
      'preparation time with a unit',
      { RESTAURANT_PREP_MS_PER_ITEM: '1s' },
      /^RESTAURANT_PREP_MS_PER_ITEM: expected a whole number of milliseconds/,
    ],
    ['decline rate above 1', { RESTAURANT_DECLINE_RATE: '2' }, /^RESTAURANT_DECLINE_RATE: expected a number from 0/],
    [
      'restaurant failure rate that is a word',
      { RESTAURANT_FAILURE_RATE: 'low' },
      /^RESTAURANT_FAILURE_RATE: expected/,
    ],
    [
      'a sold-out dish not on the menu',
      { RESTAURANT_SOLD_OUT: '4,99' },
      /^RESTAURANT_SOLD_OUT: no dish 99 on the menu/,
    ],
    [
      'metrics port 0',
      { WORKER_METRICS_PORT: '0' },
      /^WORKER_METRICS_PORT: expected a port number \(1-65535\) or "off"/,
    ],
    ['metrics port out of range', { METRICS_PORT: '70000' }, /^METRICS_PORT: expected a port number/],
    ['health port that is a word', { WORKER_HEALTH_PORT: 'on' }, /^WORKER_HEALTH_PORT: expected a port number/],
    ['unknown log format', { LOG_FORMAT: 'xml' }, /^LOG_FORMAT: expected "json" or "pretty" \(got "xml"\)/],
    ['unknown log level', { LOG_LEVEL: 'verbose' }, /^LOG_LEVEL: expected one of TRACE, DEBUG, INFO, WARN, ERROR/],
    [
      'grace time without a unit',
      { SHUTDOWN_GRACE_TIME: '30' },
      /^SHUTDOWN_GRACE_TIME: expected a duration with a unit/,
    ],
    [
      'a cache of one workflow',
      { WORKER_MAX_CACHED_WORKFLOWS: '1' },
      /^WORKER_MAX_CACHED_WORKFLOWS: expected 0 \(no cache\)/,
    ],
    [
      'health and metrics on one port',
      { WORKER_METRICS_PORT: '9000', WORKER_HEALTH_PORT: '9000' },
      /^WORKER_HEALTH_PORT: must differ from WORKER_METRICS_PORT/,
    ],
  ]

  it.each(cases)('%s', (_what, env, expected) => {
    expect(errorOf(() => loadWorkerProcessConfig(env))).toMatch(expected)
  })

  it('says the file holds no PEM data, without repeating what the variable holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-test-'))
    writeFileSync(join(dir, 'empty.pem'), 'not a certificate')
    expect(
      errorOf(() => loadTemporalConfig({ TEMPORAL_TLS_CERT: join(dir, 'empty.pem'), TEMPORAL_TLS_KEY: PEM_KEY })),
    ).toMatch(/^TEMPORAL_TLS_CERT: the file it names holds no PEM data$/)
  })

  it('shows what was given, so a stray quote or space is visible', () => {
    expect(errorOf(() => loadTemporalConfig({ TEMPORAL_ADDRESS: '"localhost:7233"' }))).toContain(
      '(got "\\"localhost:7233\\"")',
    )
  })
})

describe('loadConfigOrExit', () => {
  afterEach(() => vi.restoreAllMocks())

  it('prints one line and exits 1 on a bad value', () => {
    const printed: string[] = []
    vi.spyOn(console, 'error').mockImplementation((line: string) => void printed.push(line))
    vi.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`)
    }) as never)
    expect(() => loadConfigOrExit(loadOpsConfig, { LOG_FORMAT: 'xml' })).toThrow('exit 1')
    expect(printed).toEqual(['Configuration error: LOG_FORMAT: expected "json" or "pretty" (got "xml")'])
  })
})

describe('CONFIG_VARIABLES', () => {
  /** Every variable name a loader looks at, recorded through a proxy environment. */
  function namesRead(load: (env: Record<string, string | undefined>) => unknown): string[] {
    const read = new Set<string>()
    const env = new Proxy(
      {},
      {
        get: (_target, name) => {
          if (typeof name === 'string') read.add(name)
          return undefined
        },
      },
    )
    load(env)
    return [...read].sort()
  }

  const listed = (scope: ConfigScope) => configNameLists(scope).flat().sort()

  it('lists exactly the variables the loaders read, so deploy configs can be checked against it', () => {
    expect(namesRead(loadTemporalConfig)).toEqual(listed('temporal'))
    expect(namesRead(loadServicesConfig)).toEqual(listed('services'))
    expect(namesRead(loadOpsConfig)).toEqual(listed('ops'))
    // NODE_ENV too: it picks the rating window's default.
    expect(namesRead(loadOrderWaits)).toEqual([...listed('orders'), 'NODE_ENV'].sort())
    expect(namesRead(loadWorkerProcessConfig)).toEqual(
      [...listed('temporal'), ...listed('services'), ...listed('ops')].sort(),
    )
  })

  it('names each variable once, by its preferred name', () => {
    expect(configVariableNames('temporal')).toEqual([
      'TEMPORAL_ADDRESS',
      'TEMPORAL_NAMESPACE',
      'TEMPORAL_TASK_QUEUE',
      'TEMPORAL_TLS_CERT',
      'TEMPORAL_TLS_KEY',
      'TEMPORAL_API_KEY',
      'TEMPORAL_UI_URL',
    ])
  })
})
