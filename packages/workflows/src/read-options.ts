import type { Duration } from '@temporalio/common'
import { msToNumber } from '@temporalio/common/lib/time'
import { DEFAULT_ORDER_WAITS, type OrderOptions, type OrderWaits } from '@durable-delivery/common'

/** The order's waits in milliseconds, each filled in (the option or its default). */
export type OrderWaitsMs = Record<keyof OrderWaits, number>

/** The `OrderOptions` once checked, as the order uses them. */
export interface CheckedOrderOptions {
  waits: OrderWaitsMs
  cents?: number
  customerId?: string
}

/**
 * The options checked, or the sentence saying what is wrong with them. The caller is anyone who
 * can start a workflow (the CLI, the Web UI), so nothing is trusted: a wrong value ends the order
 * cleanly instead of failing the workflow task in a loop.
 */
export function readOptions(options: unknown): CheckedOrderOptions | string {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    return `Invalid order options: expected an object, got ${JSON.stringify(options)}`
  }
  const given = options as OrderOptions
  const waits: Partial<OrderWaitsMs> = {}
  for (const name of Object.keys(DEFAULT_ORDER_WAITS) as (keyof OrderWaits)[]) {
    const value = given[name]
    const ms = durationToMs(value ?? DEFAULT_ORDER_WAITS[name])
    if (ms === undefined)
      return `Invalid order options: ${name} must be a positive duration, got ${JSON.stringify(value)}`
    waits[name] = ms
  }
  const checked: CheckedOrderOptions = { waits: waits as OrderWaitsMs }
  const { cents, customerId } = given
  if (cents !== undefined) {
    if (!Number.isSafeInteger(cents) || cents <= 0)
      return `Invalid order options: cents must be a positive whole number, got ${JSON.stringify(cents)}`
    checked.cents = cents
  }
  if (customerId !== undefined) {
    if (typeof customerId !== 'string' || customerId.trim() === '' || customerId.length > 100)
      return `Invalid order options: customerId must be a non-empty string of at most 100 characters, got ${JSON.stringify(customerId)}`
    checked.customerId = customerId
  }
  return checked
}

function durationToMs(value: Duration): number | undefined {
  try {
    const ms = msToNumber(value)
    return Number.isFinite(ms) && ms > 0 ? ms : undefined
  } catch {
    return undefined
  }
}
