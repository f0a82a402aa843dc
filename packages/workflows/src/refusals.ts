import { ApplicationFailure } from '@temporalio/workflow'
import type { CancelInput, DriverInput, RateInput } from './definitions'

/**
 * Checks of what a caller sends with an Update, before the state is looked at. Each answers the
 * sentence the caller is shown, or undefined when the input is fine.
 */

/** Refuses an Update with the sentence the caller is shown. */
export function refuse(refusal: string | undefined): void {
  if (refusal !== undefined) throw ApplicationFailure.create({ message: refusal, type: 'Refused', nonRetryable: true })
}

export function driverRefusal(input: unknown): string | undefined {
  const driverId = (input as Partial<DriverInput> | undefined)?.driverId
  if (typeof driverId !== 'string' || driverId.trim() === '' || driverId.length > 100) {
    return 'driverId must be a non-empty string of at most 100 characters'
  }
  return undefined
}

export function reasonRefusal(input: unknown): string | undefined {
  if (input === undefined || input === null) return undefined
  if (typeof input !== 'object') return 'cancelOrder takes an object like { reason: "..." }'
  const { reason } = input as CancelInput
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > 500))
    return 'reason must be a string of at most 500 characters'
  return undefined
}

export function ratingInputRefusal(input: unknown): string | undefined {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return 'rate takes an object like { stars: 5, comment: "..." }'
  const { stars, comment } = input as Partial<RateInput>
  if (typeof stars !== 'number' || !Number.isInteger(stars) || stars < 1 || stars > 5)
    return 'stars must be a whole number from 1 to 5'
  if (comment !== undefined && (typeof comment !== 'string' || comment.length > 500))
    return 'comment must be a string of at most 500 characters'
  return undefined
}
