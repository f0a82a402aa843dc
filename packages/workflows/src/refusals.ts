import { ApplicationFailure } from '@temporalio/workflow'
import { extraTipProblem } from '@durable-delivery/common'
import type { AcceptInput, CancelInput, DeclineInput, DriverInput, RateInput, ShortageAnswer } from './definitions'

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
  const { stars, comment, extraTipCents } = input as Partial<RateInput>
  if (typeof stars !== 'number' || !Number.isInteger(stars) || stars < 1 || stars > 5)
    return 'stars must be a whole number from 1 to 5'
  if (comment !== undefined && (typeof comment !== 'string' || comment.length > 500))
    return 'comment must be a string of at most 500 characters'
  if (extraTipCents !== undefined) return extraTipProblem(extraTipCents)
  return undefined
}

/** acceptOrder's input (or none, from the CLI): an estimate of 1-240 minutes, dish ids. */
export function acceptInputRefusal(input: unknown): string | undefined {
  if (input === undefined || input === null) return undefined
  if (typeof input !== 'object' || Array.isArray(input))
    return 'acceptOrder takes an object like { readyInMinutes: 15, unavailable: [4] }'
  const { readyInMinutes, unavailable } = input as Partial<AcceptInput>
  if (readyInMinutes !== undefined && (!Number.isInteger(readyInMinutes) || readyInMinutes < 1 || readyInMinutes > 240))
    return 'readyInMinutes must be a whole number from 1 to 240'
  if (unavailable !== undefined && (!Array.isArray(unavailable) || !unavailable.every(Number.isSafeInteger)))
    return 'unavailable must be a list of dish ids'
  return undefined
}

export function declineInputRefusal(input: unknown): string | undefined {
  if (input === undefined || input === null) return undefined
  if (typeof input !== 'object' || Array.isArray(input)) return 'declineOrder takes an object like { reason: "..." }'
  const { reason } = input as DeclineInput
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > 500))
    return 'reason must be a string of at most 500 characters'
  return undefined
}

export function shortageAnswerRefusal(input: unknown): string | undefined {
  if (input === null || typeof input !== 'object' || typeof (input as Partial<ShortageAnswer>).goAhead !== 'boolean')
    return 'answerShortage takes { goAhead: true } or { goAhead: false }'
  return undefined
}
