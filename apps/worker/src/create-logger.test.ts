import { afterEach, describe, expect, it, vi } from 'vitest'
import { LogTimestamp } from '@temporalio/worker'
import { createLogger, formatJson, retriedFailureLine } from './create-logger'

/** What the SDK's "Activity failed" log carries for a charge's second attempt (activity.ts). */
function chargeFailure(nextAttemptInMs: number | null) {
  return {
    isLocal: false,
    attempt: 2,
    namespace: 'default',
    taskToken: 'CiQ4ZTI2...',
    activityId: '1',
    activityType: 'chargeCustomer',
    taskQueue: 'durable-delivery',
    workflowId: 'order-7',
    workflowRunId: '0193-run',
    workflowType: 'order',
    error: new Error('payment service is unavailable'),
    durationMs: 3,
    nextAttemptInMs,
    [LogTimestamp]: 1_764_000_000_123_000_000n,
  }
}

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

describe('development log of a retried activity failure', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('is one line: which activity of which order, which attempt, when the next, and why', () => {
    expect(retriedFailureLine('Activity failed', chargeFailure(2000))).toBe(
      'chargeCustomer for order order-7 failed (attempt 2, retrying in 2s): payment service is unavailable',
    )
    expect(retriedFailureLine('Activity failed', chargeFailure(1500))).toContain('retrying in 1.5s')
  })

  it('leaves other logs, and a failure that is not retried, to the full format', () => {
    expect(retriedFailureLine('Activity failed', chargeFailure(null))).toBeUndefined()
    expect(retriedFailureLine('Activity completed', { durationMs: 3 })).toBeUndefined()
    expect(retriedFailureLine('Activity failed', undefined)).toBeUndefined()
  })

  it('is written by the pretty logger as a single line on stderr with its time and level', () => {
    const written: string[] = []
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk))
      return true
    })
    createLogger('pretty', 'INFO').warn('Activity failed', chargeFailure(2000))
    expect(written).toHaveLength(1)
    expect(written[0]!.trimEnd().split('\n')).toHaveLength(1)
    expect(written[0]).toMatch(/\[WARN\] chargeCustomer for order order-7 failed \(attempt 2, retrying in 2s\)/)
    expect(written[0]).toContain('2025-11-24T16:00:00.123Z')
    expect(written[0]).not.toContain('taskToken')
  })

  it('keeps every detail in production JSON', () => {
    const written: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk))
      return true
    })
    createLogger('json', 'INFO').warn('Activity failed', chargeFailure(2000))
    expect(written).toHaveLength(1)
    expect(JSON.parse(written[0]!)).toMatchObject({
      message: 'Activity failed',
      taskToken: 'CiQ4ZTI2...',
      attempt: 2,
      nextAttemptInMs: 2000,
      error: { message: 'payment service is unavailable', stack: expect.any(String) },
    })
  })
})
