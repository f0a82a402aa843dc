import { describe, expect, it } from 'vitest'
import { ApplicationFailure } from '@temporalio/common'
import type { Info } from '@temporalio/activity'
import { nextAttemptInMs } from './next-attempt'

const NOW = 1_000_000

/** The fields of an activity's Info that the next attempt depends on; the order's charge by default. */
function info(overrides: Partial<Info> = {}): Info {
  return {
    attempt: 1,
    retryPolicy: { initialInterval: 1000, backoffCoefficient: 2, maximumInterval: 5000 },
    scheduledTimestampMs: NOW - 1000,
    scheduleToCloseTimeoutMs: 60_000,
    ...overrides,
  } as Info
}

const transient = new Error('payment service is unavailable')

describe('when a failed activity runs again', () => {
  it('follows the backoff: initial interval, doubled per attempt, capped at the maximum', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => nextAttemptInMs(info({ attempt }), transient, NOW))).toEqual([
      1000, 2000, 4000, 5000, 5000,
    ])
  })

  it('uses the server defaults when the policy leaves them out', () => {
    expect(nextAttemptInMs(info({ attempt: 3, retryPolicy: {} }), transient, NOW)).toBe(4000)
  })

  it('takes the delay an ApplicationFailure asks for', () => {
    const failure = ApplicationFailure.create({ message: 'busy', nextRetryDelay: '3 seconds' })
    expect(nextAttemptInMs(info(), failure, NOW)).toBe(3000)
    for (const [text, ms] of [
      ['500ms', 500],
      ['2 minutes', 120_000],
      ['1.5h', 5_400_000],
    ] as const) {
      const delayed = ApplicationFailure.create({ message: 'busy', nextRetryDelay: text })
      expect(nextAttemptInMs(info({ scheduleToCloseTimeoutMs: 0 }), delayed, NOW)).toBe(ms)
    }
  })

  it('never, for a non-retryable failure, used-up attempts, or a wait past the deadline', () => {
    expect(nextAttemptInMs(info(), ApplicationFailure.nonRetryable('declined'), NOW)).toBeNull()
    const declined = Object.assign(new Error('declined'), { name: 'PaymentDeclinedError' })
    const policy = { initialInterval: 1000, nonRetryableErrorTypes: ['PaymentDeclinedError'] }
    expect(nextAttemptInMs(info({ retryPolicy: policy }), declined, NOW)).toBeNull()
    expect(nextAttemptInMs(info({ attempt: 3, retryPolicy: { maximumAttempts: 3 } }), transient, NOW)).toBeNull()
    expect(nextAttemptInMs(info({ scheduleToCloseTimeoutMs: 1500 }), transient, NOW)).toBeNull()
  })

  it('without a schedule-to-close deadline, retries indefinitely', () => {
    expect(nextAttemptInMs(info({ attempt: 40, scheduleToCloseTimeoutMs: 0 }), transient, NOW)).toBe(5000)
  })
})
