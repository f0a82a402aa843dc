import type { Duration } from '@temporalio/common'
import { msToNumber } from '@temporalio/common/lib/time'
import {
  DEFAULT_PAYMENT_DEADLINE,
  DEFAULT_RATING_WINDOW,
  DEFAULT_WINDOW,
  type OrderOptions,
} from '@durable-delivery/common'

/** The order's options in numbers: every wait in milliseconds, defaults filled in. */
export interface Settings {
  pickup: number
  delivery: number
  rating: number
  ratingWindow: number
  paymentDeadline: number
  cents?: number
  customerId?: string
}

/**
 * The waits, the price and the customer in numbers, or the sentence saying what is wrong with the
 * options. The caller is anyone who can start a workflow (the CLI, the Web UI), so nothing is
 * trusted: a wrong value ends the order cleanly instead of failing the workflow task in a loop.
 */
export function readOptions(options: unknown): Settings | string {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    return `Invalid order options: expected an object, got ${JSON.stringify(options)}`
  }
  const { pickupWindow, deliveryWindow, ratingDelay, ratingWindow, paymentDeadline, cents, customerId } =
    options as OrderOptions
  const settings: Partial<Settings> = {}
  const fields = [
    ['pickup', 'pickupWindow', pickupWindow, DEFAULT_WINDOW],
    ['delivery', 'deliveryWindow', deliveryWindow, DEFAULT_WINDOW],
    ['rating', 'ratingDelay', ratingDelay, DEFAULT_WINDOW],
    ['ratingWindow', 'ratingWindow', ratingWindow, DEFAULT_RATING_WINDOW],
    ['paymentDeadline', 'paymentDeadline', paymentDeadline, DEFAULT_PAYMENT_DEADLINE],
  ] as const
  for (const [key, name, value, fallback] of fields) {
    const ms = durationToMs(value ?? fallback)
    if (ms === undefined)
      return `Invalid order options: ${name} must be a positive duration, got ${JSON.stringify(value)}`
    settings[key] = ms
  }
  if (cents !== undefined) {
    if (!Number.isSafeInteger(cents) || cents <= 0)
      return `Invalid order options: cents must be a positive whole number, got ${JSON.stringify(cents)}`
    settings.cents = cents
  }
  if (customerId !== undefined) {
    if (typeof customerId !== 'string' || customerId.trim() === '' || customerId.length > 100)
      return `Invalid order options: customerId must be a non-empty string of at most 100 characters, got ${JSON.stringify(customerId)}`
    settings.customerId = customerId
  }
  return settings as Settings
}

function durationToMs(value: Duration): number | undefined {
  try {
    const ms = msToNumber(value)
    return Number.isFinite(ms) && ms > 0 ? ms : undefined
  } catch {
    return undefined
  }
}
