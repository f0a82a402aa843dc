import type { Client, WorkflowExecutionInfo } from '@temporalio/client'
import { errorMessage, getProductById, type OrderLine, type OrderState } from '@durable-delivery/common'
import { DRIVER_ID, ORDER_PRODUCT_ID, ORDER_STATE } from '@durable-delivery/common/search-attributes'
import { ORDER_WORKFLOW_TYPE } from '@durable-delivery/workflows/definitions'
import type { InnerContext } from '../context'
import { memoLines } from './cart-memo'
import { withSettledLines } from './settled-lines'
import { visibleState, webUiLink } from './order-view'
import { waitAtMost } from '../temporal-errors'
import { listAllExecutions, listExecutionPage, queryString } from '../visibility/order-pages'

/** Rows per page of a section. */
export const DRIVER_LIST_PAGE_SIZE = 50

/**
 * The deadline of each page of the ready section's whole read. SQLite serialises the server's
 * reads and writes, so behind a burst of new orders a page of 1,000 rows can wait seconds; the
 * read is shared by the process, and a request waits for it only its own deadline (waitAtMost).
 */
const WHOLE_READ_PAGE_DEADLINE_MS = 30_000

export type DriverListSection = 'ready' | 'mine' | 'closed'

interface RowBase {
  orderId: string
  /** ISO 8601, like every time an answer carries (plain JSON: no transformer). */
  startedAt: string
  closedAt?: string
  webUiUrl?: string
}

/** One line of the driver's list: an order, or an execution whose state cannot be read. */
export type DriverListRow =
  | (RowBase & {
      ok: true
      productId: number
      productName: string
      state: OrderState
      /** Who picked it up (absent before pickup, or when a `pickedUp` signal named nobody). */
      driverId?: string
      /** While waiting for a driver: when it is refunded if nobody picks it up (from the order's memo, ISO 8601). */
      pickupDeadline?: string
      /** While Picked up: when it is refunded if it is not delivered (from the memo, ISO 8601). */
      deliveryDeadline?: string
      /** The customer's stars, once rated (from the memo). */
      rating?: number
      /**
       * Whether a driver may pick it up now: the seed's order once Paid, a cart's once the
       * restaurant has it Ready (the workflow decides in the end; this only enables the button).
       */
      pickable: boolean
      /** A cart's order: its dishes (from the memo), what the driver will carry. */
      lines?: (OrderLine & { name: string })[]
      /** A cart's order: the tip charged with it, in cents (from the memo). */
      tipCents?: number
      /** A cart's order while Preparing: when the restaurant expects it ready (from the memo, ISO 8601). */
      readyBy?: string
    })
  | (RowBase & { ok: false; error: string })

export interface DriverListPage {
  rows: DriverListRow[]
  /** How many orders the section holds in all (visibility's count), whatever page this is. */
  total: number
  nextCursor?: string
}

const ORDERS = `WorkflowType = '${ORDER_WORKFLOW_TYPE}'`
/** Paid orders, and a cart's while the restaurant prepares it: drivers see what is coming. */
const READY = `${ORDERS} AND ExecutionStatus = 'Running' AND OrderState IN ('Paid', 'Preparing', 'Ready')`
const CLOSED = `${ORDERS} AND ExecutionStatus != 'Running'`
/** A driver's own orders, and any picked up by a `pickedUp` signal (no driver named), which any driver may deliver. */
const mine = (driverId: string) =>
  `${ORDERS} AND ExecutionStatus = 'Running' AND (DriverId = ${queryString(driverId)} OR (OrderState = 'Picked up' AND DriverId IS NULL))`

/**
 * A page of a section of the driver list. Every read goes through the process's shared read
 * (about a second), so any number of open portals cost visibility the same few queries.
 *
 * "Ready for pickup" is oldest first, the orders closest to their refund on top. Temporal's SQL
 * and Cloud visibility have no ORDER BY (newest first only), so the section is read whole, page
 * token after page token, sorted here, and paged by a cursor of (start time, order id). The set
 * stays small by design: a Paid order is picked up or refunded within its pickup window. The other
 * sections are newest first, paged by visibility's own page token. Nothing is capped.
 */
export async function driverListPage(
  ctx: InnerContext,
  client: Client,
  section: DriverListSection,
  driverId: string,
  cursor: string | undefined,
): Promise<DriverListPage> {
  const shared = sharedRead(ctx)
  if (section === 'ready') {
    const all = await readyOrders(ctx, client)
    const ordered = [...all].sort(oldestFirst)
    const after = cursor === undefined ? undefined : decodeKey(cursor)
    const start = after === undefined ? 0 : ordered.findIndex((execution) => oldestFirst(execution, after) > 0)
    const slice = start < 0 ? [] : ordered.slice(start, start + DRIVER_LIST_PAGE_SIZE)
    const last = slice.at(-1)
    const more = start >= 0 && start + DRIVER_LIST_PAGE_SIZE < ordered.length
    return {
      rows: await rowsOf(ctx, client, slice),
      total: ordered.length,
      ...(more && last ? { nextCursor: encodeKey(last) } : {}),
    }
  }
  const query = section === 'mine' ? mine(driverId) : CLOSED
  const key = section === 'mine' ? `mine:${driverId}` : 'closed'
  const [page, total] = await Promise.all([
    shared(`${key}:${cursor ?? ''}`, () => listExecutionPage(client, query, DRIVER_LIST_PAGE_SIZE, cursor)),
    shared(`${key}:count`, async () => (await client.workflow.count(query)).count),
  ])
  return {
    rows: await rowsOf(ctx, client, page.executions),
    total,
    ...(page.nextPageToken === undefined ? {} : { nextCursor: page.nextPageToken }),
  }
}

/**
 * What changes when the list changes, for the push to the portals (DriverListFeed): the orders ready
 * for pickup and the first page of the closed ones, read through the same shared reads as the
 * pages (same keys), so watching costs visibility nothing more. A driver's own deliveries change
 * by their own hand, or move to one of these two.
 */
export async function driverListFingerprint(ctx: InnerContext, client: Client): Promise<string> {
  const shared = sharedRead(ctx)
  const [ready, closed] = await Promise.all([
    readyOrders(ctx, client),
    shared('closed:', () => listExecutionPage(client, CLOSED, DRIVER_LIST_PAGE_SIZE)),
  ])
  // A cart moves Paid → Preparing → Ready while its execution runs: its state is part of the version.
  const states = (executions: WorkflowExecutionInfo[]) =>
    executions.map(
      (execution) =>
        `${execution.workflowId}:${execution.status.name}:${execution.typedSearchAttributes.get(ORDER_STATE) ?? ''}`,
    )
  return JSON.stringify([states(ready), states(closed.executions)])
}

/**
 * Every order ready for pickup, through the process's shared read, waited for at most the
 * request's deadline (the read goes on for the next request).
 */
function readyOrders(ctx: InnerContext, client: Client): Promise<WorkflowExecutionInfo[]> {
  const read = sharedRead(ctx)('ready:all', () => listAllExecutions(client, READY, WHOLE_READ_PAGE_DEADLINE_MS))
  return waitAtMost(read, ctx.rpcTimeoutMs)
}

/** The process's shared visibility reads, typed by what each one reads. */
function sharedRead(ctx: InnerContext) {
  return <T>(key: string, read: () => Promise<T>) => ctx.shared.lists.get(key, read) as Promise<T>
}

interface SortKey {
  startTime: Date
  workflowId: string
}

function oldestFirst(a: SortKey, b: SortKey): number {
  return a.startTime.getTime() - b.startTime.getTime() || a.workflowId.localeCompare(b.workflowId)
}

function encodeKey(execution: SortKey): string {
  return Buffer.from(JSON.stringify([execution.startTime.getTime(), execution.workflowId])).toString('base64url')
}

/** The key a cursor names; a cursor that is not one of ours starts from the top. */
function decodeKey(cursor: string): SortKey | undefined {
  try {
    const [time, workflowId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    if (typeof time !== 'number' || typeof workflowId !== 'string') return undefined
    return { startTime: new Date(time), workflowId }
  } catch {
    return undefined
  }
}

/** The rows of a page, a cart's lines as settled after a shortage (settled-lines.ts). */
function rowsOf(ctx: InnerContext, client: Client, executions: WorkflowExecutionInfo[]): Promise<DriverListRow[]> {
  const kept = new Map<string, number>()
  for (const execution of executions) {
    const cents = execution.memo?.keptCents
    if (typeof cents === 'number') kept.set(execution.workflowId, cents)
  }
  return withSettledLines(
    ctx,
    client,
    executions.map((execution) => toRow(ctx, execution)),
    kept,
  )
}

/** An execution whose attributes are missing or make no sense becomes an error row; it never breaks the list. */
function toRow(ctx: InnerContext, execution: WorkflowExecutionInfo): DriverListRow {
  const base: RowBase = {
    orderId: execution.workflowId,
    startedAt: execution.startTime.toISOString(),
    ...(execution.closeTime ? { closedAt: execution.closeTime.toISOString() } : {}),
    ...webUiLink(ctx, execution.workflowId),
  }
  try {
    const attributes = execution.typedSearchAttributes
    const reported = attributes.get(ORDER_STATE)
    const productId = attributes.get(ORDER_PRODUCT_ID)
    const driverId = attributes.get(DRIVER_ID)
    const state = visibleState(execution.status.name, reported)
    if (!state) return { ...base, ok: false, error: `Unknown state ${JSON.stringify(reported ?? null)}` }
    const product = productId === undefined ? undefined : getProductById(productId)
    if (!product) return { ...base, ok: false, error: `Unknown product ${JSON.stringify(productId ?? null)}` }
    const { pickupDeadline, deliveryDeadline, rating, tipCents, readyBy } = execution.memo ?? {}
    const lines = memoLines(execution.memo)
    // A cart waits for the restaurant while Paid; the seed's one dish is ready for a driver then.
    const waitingForDriver = lines ? state === 'Ready' : state === 'Paid'
    return {
      ...base,
      ok: true,
      productId: product.id,
      productName: product.name,
      state,
      pickable: waitingForDriver && execution.status.name === 'RUNNING',
      ...(lines
        ? {
            lines: lines.map((line) => ({
              ...line,
              name: getProductById(line.productId)?.name ?? `Dish #${line.productId}`,
            })),
          }
        : {}),
      ...(lines && typeof tipCents === 'number' ? { tipCents } : {}),
      ...(state === 'Preparing' && typeof readyBy === 'string' ? { readyBy } : {}),
      ...(driverId === undefined ? {} : { driverId }),
      ...(waitingForDriver && typeof pickupDeadline === 'string' ? { pickupDeadline } : {}),
      ...(state === 'Picked up' && typeof deliveryDeadline === 'string' ? { deliveryDeadline } : {}),
      ...(typeof rating === 'number' ? { rating } : {}),
    }
  } catch (error) {
    return { ...base, ok: false, error: `Unreadable search attributes: ${errorMessage(error)}` }
  }
}
