import type { Duration } from '@temporalio/common'
import { msToNumber } from '@temporalio/common/lib/time'
import {
  cartProblem,
  DEFAULT_ORDER_WAITS,
  extraTipProblem,
  shareOf,
  subtotalCents,
  TIP_LIMITS,
  totalCents,
  type OrderLine,
  type OrderOptions,
  type OrderTip,
  type OrderWaits,
} from '@durable-delivery/common'

/** The order's waits in milliseconds, each filled in (the option or its default). */
export type OrderWaitsMs = Record<keyof OrderWaits, number>

/** The `OrderOptions` once checked, as the order uses them. */
export interface CheckedOrderOptions {
  waits: OrderWaitsMs
  cents?: number
  customerId?: string
  /** A cart's order: its lines and tip, checked; `cents` is then their total. */
  cart?: { lines: OrderLine[]; tip?: OrderTip }
}

/**
 * The options checked, or the sentence saying what is wrong with them. The caller is anyone who
 * can start a workflow (the CLI, the Web UI), so nothing is trusted: a wrong value ends the order
 * cleanly instead of failing the workflow task in a loop.
 */
export function readOptions(options: unknown, productId?: number): CheckedOrderOptions | string {
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
  const { lines, tip } = given
  if (lines === undefined) {
    if (tip !== undefined) return 'Invalid order options: a tip comes with a cart (lines)'
    return checked
  }
  const cart = readCart(lines, tip, productId)
  if (typeof cart === 'string') return `Invalid order options: ${cart}`
  const total = totalCents(cart.lines, cart.tip)
  if (cents !== undefined && cents !== total)
    return `Invalid order options: cents (${cents}) must be the cart's total, ${total}`
  checked.cents = total
  checked.cart = cart
  return checked
}

/** A cart's lines and tip, copied field by field from what the caller sent, or what is wrong with them. */
function readCart(
  lines: unknown,
  tip: unknown,
  productId: number | undefined,
): { lines: OrderLine[]; tip?: OrderTip } | string {
  if (!Array.isArray(lines)) return `lines must be a list, got ${JSON.stringify(lines)}`
  const read: OrderLine[] = []
  for (const line of lines as unknown[]) {
    if (line === null || typeof line !== 'object') return `each line must be an object, got ${JSON.stringify(line)}`
    const { productId, quantity, cents } = line as Partial<OrderLine>
    if (!Number.isSafeInteger(cents) || cents! <= 0)
      return `a line's cents must be a positive whole number, got ${JSON.stringify(cents)}`
    read.push({ productId: productId!, quantity: quantity!, cents: cents! })
  }
  const problem = cartProblem(read)
  if (problem !== undefined) return problem
  if (productId !== read[0]!.productId)
    return `the order's productId (${JSON.stringify(productId)}) must be its first line's, ${read[0]!.productId}`
  if (tip === undefined) return { lines: read }
  if (tip === null || typeof tip !== 'object') return `tip must be an object, got ${JSON.stringify(tip)}`
  const { cents, percent } = tip as Partial<OrderTip>
  if (percent === undefined) {
    const amount = extraTipProblem(cents as number)
    return amount === undefined ? { lines: read, tip: { cents: cents! } } : amount
  }
  if (!(TIP_LIMITS.percents as readonly unknown[]).includes(percent))
    return `a tip's share must be one of ${TIP_LIMITS.percents.join(', ')} percent, got ${JSON.stringify(percent)}`
  const share = shareOf(subtotalCents(read), percent)
  if (cents !== share) return `a tip of ${percent}% of this cart is ${share} cents, got ${JSON.stringify(cents)}`
  return { lines: read, tip: { cents: share, percent } }
}

function durationToMs(value: Duration): number | undefined {
  try {
    const ms = msToNumber(value)
    return Number.isFinite(ms) && ms > 0 ? ms : undefined
  } catch {
    return undefined
  }
}
