import { getProductById } from './products'

/** A dish and how many of it, as the customer puts it in the cart. */
export interface CartItem {
  productId: number
  quantity: number
}

/** One line of a placed order: the dish, how many, and its unit price as the menu showed it (cents). */
export interface OrderLine extends CartItem {
  cents: number
}

/** The tip fixed at checkout: its amount, and the share of the subtotal it was chosen as, if it was one. */
export interface OrderTip {
  cents: number
  /** A share (percent of the subtotal): a line refunded for a shortage lowers the tip with it. */
  percent?: number
}

/** What the customer picks on the menu before ordering. */
export type TipChoice = { kind: 'none' } | { kind: 'percent'; percent: number } | { kind: 'amount'; cents: number }

/** How much one order may hold: 1-9 of a dish, 20 items in all. */
export const CART_LIMITS = { maxQuantity: 9, maxItems: 20 } as const

/** The tips on offer: these shares, or an amount of at most $50 (at checkout, and again with the rating). */
export const TIP_LIMITS = { percents: [10, 15, 20] as const, maxCents: 5000 } as const

/** What is wrong with a cart, in a sentence the customer can act on; undefined when it can be placed. */
export function cartProblem(items: readonly CartItem[]): string | undefined {
  if (items.length === 0) return 'The cart is empty'
  const seen = new Set<number>()
  let count = 0
  for (const { productId, quantity } of items) {
    if (!Number.isSafeInteger(productId) || getProductById(productId) === undefined)
      return `There is no dish ${JSON.stringify(productId)} on the menu`
    if (seen.has(productId)) return `${getProductById(productId)!.name} is in the cart twice: use its quantity`
    seen.add(productId)
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > CART_LIMITS.maxQuantity)
      return `A dish's quantity must be a whole number from 1 to ${CART_LIMITS.maxQuantity}`
    count += quantity
  }
  if (count > CART_LIMITS.maxItems) return `An order holds at most ${CART_LIMITS.maxItems} items`
  return undefined
}

/** The cart's lines at the menu's prices now: what the API fixes when the order is placed. */
export function priceCart(items: readonly CartItem[]): OrderLine[] {
  return items.map(({ productId, quantity }) => ({ productId, quantity, cents: getProductById(productId)!.cents }))
}

export function subtotalCents(lines: readonly OrderLine[]): number {
  return lines.reduce((sum, line) => sum + line.cents * line.quantity, 0)
}

export function itemCount(lines: readonly CartItem[]): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0)
}

/** A share of the subtotal, in whole cents (half a cent rounds up). */
export function shareOf(subtotal: number, percent: number): number {
  return Math.round((subtotal * percent) / 100)
}

/** What is wrong with a tip choice; undefined when it can be charged. */
export function tipProblem(choice: TipChoice): string | undefined {
  if (choice.kind === 'none') return undefined
  if (choice.kind === 'percent')
    return (TIP_LIMITS.percents as readonly number[]).includes(choice.percent)
      ? undefined
      : `A tip's share must be one of ${TIP_LIMITS.percents.join(', ')} percent`
  return extraTipProblem(choice.cents)
}

/** What is wrong with a tip amount (at checkout or with the rating); undefined when it is fine. */
export function extraTipProblem(cents: number): string | undefined {
  if (!Number.isInteger(cents) || cents < 1 || cents > TIP_LIMITS.maxCents)
    return `A tip must be a whole number of cents from 1 to ${TIP_LIMITS.maxCents} ($${TIP_LIMITS.maxCents / 100})`
  return undefined
}

/** The tip a choice gives on this subtotal; undefined for none. */
export function tipFor(choice: TipChoice, subtotal: number): OrderTip | undefined {
  if (choice.kind === 'none') return undefined
  if (choice.kind === 'amount') return { cents: choice.cents }
  return { cents: shareOf(subtotal, choice.percent), percent: choice.percent }
}

/** What the order charges at checkout: every line plus the tip. */
export function totalCents(lines: readonly OrderLine[], tip: OrderTip | undefined): number {
  return subtotalCents(lines) + (tip?.cents ?? 0)
}

/** An order going ahead without some dishes: what is left, the tip it now carries, and what goes back. */
export interface ShortageSettlement {
  lines: OrderLine[]
  tip: OrderTip | undefined
  refundCents: number
}

/**
 * Going ahead without the unavailable dishes: their lines are refunded, and a tip chosen as a
 * share falls with the subtotal (an amount stays as it was).
 */
export function withoutDishes(
  lines: readonly OrderLine[],
  tip: OrderTip | undefined,
  unavailable: readonly number[],
): ShortageSettlement {
  const kept = lines.filter((line) => !unavailable.includes(line.productId))
  const keptTip =
    tip?.percent === undefined ? tip : { cents: shareOf(subtotalCents(kept), tip.percent), percent: tip.percent }
  return { lines: kept, tip: keptTip, refundCents: totalCents(lines, tip) - totalCents(kept, keptTip) }
}

/** "2 × Burrata, 1 × Potato" */
export function describeLines(lines: readonly CartItem[]): string {
  return lines.map((line) => `${line.quantity} × ${getProductById(line.productId)?.name ?? line.productId}`).join(', ')
}
