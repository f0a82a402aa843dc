import type { OrderLine, OrderTip } from '@durable-delivery/common'

/**
 * What a cart's order carries in its memo for the lists (docs/architecture.md, "Search
 * attributes"): its lines and its tip, set by the API when it starts the order (free at start),
 * so the driver list shows the dishes and the tip with no Query per row. The workflow adds
 * `readyBy` once the restaurant accepts, and may write the keys again after a shortage.
 */
export type CartMemo = {
  lines: OrderLine[]
  /** The tip charged with the order, in cents (0 for none). */
  tipCents: number
}

export function cartMemo(lines: OrderLine[], tip: OrderTip | undefined): CartMemo {
  return { lines, tipCents: tip?.cents ?? 0 }
}

/** The memo's lines when they look like lines (another program may have started the order). */
export function memoLines(memo: Record<string, unknown> | undefined): OrderLine[] | undefined {
  const lines = memo?.lines
  if (!Array.isArray(lines) || lines.length === 0) return undefined
  const valid = lines.every(
    (line: unknown) =>
      typeof line === 'object' &&
      line !== null &&
      ['productId', 'quantity', 'cents'].every((key) => Number.isInteger((line as Record<string, unknown>)[key])),
  )
  return valid ? (lines as OrderLine[]) : undefined
}

/**
 * Whether a placed order's memo is this request's cart: the same lines (dish, quantity, price)
 * and the same tip. A one-dish request matches only an order placed without a cart.
 */
export function sameCart(
  memo: Record<string, unknown> | undefined,
  cart: { lines: OrderLine[]; tip: OrderTip | undefined } | undefined,
): boolean {
  const lines = memoLines(memo)
  if (cart === undefined) return lines === undefined
  if (lines === undefined || lines.length !== cart.lines.length) return false
  const same = lines.every((line, index) => {
    const other = cart.lines[index]!
    return line.productId === other.productId && line.quantity === other.quantity && line.cents === other.cents
  })
  return same && memo?.tipCents === (cart.tip?.cents ?? 0)
}
