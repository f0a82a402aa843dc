import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLogger, formatJson } from './create-logger'
import { chargeFailure } from './activity-log.fixture'

describe('JSON log lines', () => {
  it('are one object per line with time, level, message and the metadata a collector indexes', () => {
    const line = formatJson({
      level: 'INFO',
      message: 'Charged customer',
      timestampNanos: 1_764_000_000_123_000_000n,
      meta: { orderId: 'a1', cents: 2000, attempt: 3n },
    })
    expect(line).not.toContain('\n')
    expect(JSON.parse(line)).toEqual({
      time: '2025-11-24T16:00:00.123Z',
      level: 'INFO',
      message: 'Charged customer',
      orderId: 'a1',
      cents: 2000,
      attempt: '3',
    })
  })

  it('keep an error readable instead of printing {}', () => {
    const error = new Error('Payment service timed out')
    const entry = JSON.parse(
      formatJson({ level: 'WARN', message: 'Activity failed', timestampNanos: 0n, meta: { error } }),
    ) as { error: unknown }
    expect(entry.error).toMatchObject({
      name: 'Error',
      message: 'Payment service timed out',
      stack: expect.stringContaining('create-logger.test.ts'),
    })
  })
})

describe('the logger for each format', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  /** What one log call writes to a stream. */
  function written(stream: NodeJS.WriteStream, log: () => void): string[] {
    const chunks: string[] = []
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk))
      return true
    })
    log()
    return chunks
  }

  it('development: a retried activity failure is a single line on stderr with its time and level', () => {
    const lines = written(process.stderr, () => {
      createLogger('pretty', 'INFO').warn('Activity failed', chargeFailure(2000))
    })
    expect(lines).toEqual([
      '2025-11-24T16:00:00.123Z [WARN] chargeCustomer for order order-7 failed (attempt 2, retrying in 2s): Payment service timed out\n',
    ])
  })

  it('production: JSON keeps every detail, task token and stack included', () => {
    const lines = written(process.stdout, () => {
      createLogger('json', 'INFO').warn('Activity failed', chargeFailure(2000))
    })
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toMatchObject({
      message: 'Activity failed',
      taskToken: 'CiQ4ZTI2...',
      attempt: 2,
      nextAttemptInMs: 2000,
      error: { message: 'Payment service timed out', stack: expect.any(String) },
    })
  })
})
