import { ApplicationFailure, type RetryPolicy } from '@temporalio/common'
import { msOptionalToNumber } from '@temporalio/common/lib/time'
import type { ActivityInterceptorsFactory } from '@temporalio/worker'
import type { Info } from '@temporalio/activity'

/**
 * How long until the server starts the next attempt of an activity that just failed, or null
 * when it will not retry: the failure is non-retryable, the attempts are used up, or the wait
 * would pass the activity's schedule-to-close deadline. Follows the server's backoff: the
 * initial interval, times the coefficient per attempt, capped at the maximum interval.
 */
export function nextAttemptInMs(info: Info, error: unknown, nowMs: number): number | null {
  const policy: RetryPolicy = info.retryPolicy ?? {}
  const failure = error instanceof ApplicationFailure ? error : undefined
  const type = failure?.type ?? (error instanceof Error ? error.name : undefined)
  if (failure?.nonRetryable || (type && policy.nonRetryableErrorTypes?.includes(type))) return null
  if (policy.maximumAttempts && info.attempt >= policy.maximumAttempts) return null
  const initial = msOptionalToNumber(policy.initialInterval) ?? 1000
  const maximum = msOptionalToNumber(policy.maximumInterval) ?? 100 * initial
  const backoff = Math.min(initial * (policy.backoffCoefficient ?? 2) ** (info.attempt - 1), maximum)
  const delay = msOptionalToNumber(failure?.nextRetryDelay ?? undefined) ?? backoff
  const deadline = info.scheduleToCloseTimeoutMs ? info.scheduledTimestampMs + info.scheduleToCloseTimeoutMs : Infinity
  return nowMs + delay > deadline ? null : delay
}

/**
 * Adds `nextAttemptInMs` to the SDK's "Activity failed" log, so that the log says when (or
 * whether) the failed activity runs again. The inbound half sees the error; the outbound half's
 * log attributes are read when the SDK logs the failure, right after.
 */
export const nextAttemptLogInterceptor: ActivityInterceptorsFactory = (context) => {
  let failure: { error: unknown } | undefined
  return {
    inbound: {
      async execute(input, next) {
        try {
          return await next(input)
        } catch (error) {
          failure = { error }
          throw error
        }
      },
    },
    outbound: {
      getLogAttributes(attributes, next) {
        const extra = failure ? { nextAttemptInMs: nextAttemptInMs(context.info, failure.error, Date.now()) } : {}
        return next({ ...attributes, ...extra })
      },
    },
  }
}
