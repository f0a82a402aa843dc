import type { Client } from '@temporalio/client'
import { getProductById, isOrderState, type OrderState } from '@durable-delivery/common'
import { ORDER_PRODUCT_ID, ORDER_STATE } from '@durable-delivery/common/search-attributes'
import { purposeOf, type LedgerEntry } from './ledger'
import { paymentKey, type OrderExpectation } from './ledger-check'

/**
 * What each order should have cost, from how Temporal says it ended: its price if it was
 * delivered (or is still open past payment), nothing if it was cancelled, declined, timed out or
 * failed (terminated included: the operator's hard stop settles no money, so the check then
 * names the order to refund by hand). An order still charging or refunding is not judged yet.
 * A cart's order costs what it kept (`cart.keptCents`: its lines and tip once a shortage was
 * settled) plus the extra tip added with the rating.
 */
export function expectedNetCents(
  status: string,
  state: OrderState | undefined,
  priceCents: number,
  cart: { keptCents?: number; extraTipCents?: number } = {},
): number | undefined {
  const kept = cart.keptCents ?? priceCents
  if (state === 'Delivered') return kept + (cart.extraTipCents ?? 0)
  const open: readonly (OrderState | undefined)[] = ['Paid', 'Preparing', 'Ready', 'Picked up']
  if (status === 'RUNNING') return open.includes(state) ? kept : undefined
  return 0
}

/** A memo's number, if it holds one under `key` (the workflow writes keptCents and extraTipCents). */
function memoCents(memo: Record<string, unknown> | undefined, key: string): number | undefined {
  const value = memo?.[key]
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined
}

/**
 * Expectations for the orders of a ledger, read from Temporal's visibility (one list query).
 * Keys follow the ledger: `orderId/runId` for orders with payment ids (the run id is the
 * payment id of a run that was not reset), the order id alone for older entries.
 */
export async function orderExpectations(
  client: Client,
  entries: readonly LedgerEntry[],
): Promise<{ expected: Map<string, OrderExpectation>; open: number }> {
  const keys = new Set(entries.map((entry) => paymentKey(entry.orderId, entry.paymentId)))
  const of = (kind: LedgerEntry['kind'], purpose: string) =>
    new Map(
      entries
        .filter((entry) => entry.kind === kind && purposeOf(entry) === purpose)
        .map((entry) => [paymentKey(entry.orderId, entry.paymentId), entry.cents]),
    )
  const charges = of('charge', 'order')
  const extraTips = of('charge', 'extra-tip')
  const shortages = of('refund', 'shortage')
  const expected = new Map<string, OrderExpectation>()
  let open = 0
  for await (const execution of client.workflow.list({ query: `WorkflowType = 'order'` })) {
    const perRun = paymentKey(execution.workflowId, execution.runId)
    // Newest first: an order id's old-style key belongs to its latest run.
    const key =
      keys.has(perRun) || !keys.has(execution.workflowId) || expected.has(execution.workflowId)
        ? perRun
        : execution.workflowId
    const reported = execution.typedSearchAttributes.get(ORDER_STATE)
    const state = isOrderState(reported) ? reported : undefined
    const productId = execution.typedSearchAttributes.get(ORDER_PRODUCT_ID)
    // The price fixed at placement is what was charged; an order never charged is judged at the menu's.
    const price = charges.get(key) ?? (productId === undefined ? undefined : getProductById(productId)?.cents) ?? 0
    const running = execution.status.name === 'RUNNING'
    // A cart's order says what it kept once Ready; before that (a shortage being settled) its
    // charge less the partial refund is what it holds. An extra tip in flight counts while it runs.
    const keptCents =
      memoCents(execution.memo, 'keptCents') ?? (shortages.has(key) ? price - shortages.get(key)! : undefined)
    const extraTipCents = memoCents(execution.memo, 'extraTipCents') ?? (running ? extraTips.get(key) : undefined)
    const net = expectedNetCents(execution.status.name, state, price, {
      ...(keptCents === undefined ? {} : { keptCents }),
      ...(extraTipCents === undefined ? {} : { extraTipCents }),
    })
    if (net === undefined) {
      open += 1
      // Whatever it holds now is consistent with an order still in progress.
      if (keys.has(key)) expected.set(key, { netCents: netOf(entries, key) })
      continue
    }
    expected.set(key, { netCents: net })
  }
  return { expected, open }
}

function netOf(entries: readonly LedgerEntry[], key: string): number {
  return entries
    .filter((entry) => paymentKey(entry.orderId, entry.paymentId) === key)
    .reduce((net, entry) => net + (entry.kind === 'charge' ? entry.cents : -entry.cents), 0)
}
