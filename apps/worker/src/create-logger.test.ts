import { describe, expect, it } from 'vitest'
import { formatJson } from './create-logger'

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
