import { ApplicationFailure, type Duration, type RetryPolicy } from '@temporalio/common'
import type { ActivityInterceptorsFactory } from '@temporalio/worker'
import type { Info } from '@temporalio/activity'

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/**
 * A Duration in milliseconds: the SDK hands the retry policy over in numbers, an activity's own
 * delay may be text in the SDK's format ('3 seconds', '500ms', '1.5h'). Text it does not read is
 * unknown, and the caller falls back to the policy's backoff.
 */
function millis(duration: Duration | null | undefined): number | undefined {
  if (duration === null || duration === undefined) return undefined
  if (typeof duration === 'number') return duration
  const match =
    /^\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|msecs?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)?\s*$/i.exec(
      duration,
    )
  if (!match) return undefined
  const unit = (match[2] ?? 'ms').toLowerCase()
  const key = unit.startsWith('ms') || unit.startsWith('milli') ? 'ms' : unit[0]!
  return Number(match[1]) * UNIT_MS[key]!
}

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
  const initial = millis(policy.initialInterval) ?? 1000
  const maximum = millis(policy.maximumInterval) ?? 100 * initial
  const backoff = Math.min(initial * (policy.backoffCoefficient ?? 2) ** (info.attempt - 1), maximum)
  const delay = millis(failure?.nextRetryDelay) ?? backoff
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
