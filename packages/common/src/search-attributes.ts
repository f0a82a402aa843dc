import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common'
import type { OrderState } from './order-state'

/**
 * Custom search attributes the `order` workflow keeps up to date, so that listing orders with
 * their states is one visibility query instead of one Query per order, and so that operators can
 * filter in the Web UI (`OrderState = "Paid"`). Every server the Worker runs against must have
 * them registered: `npm run temporal` and the test servers do it from this list.
 */
export const ORDER_STATE = defineSearchAttributeKey('OrderState', SearchAttributeType.KEYWORD)
export const ORDER_PRODUCT_ID = defineSearchAttributeKey('OrderProductId', SearchAttributeType.INT)

/** Who placed the order: "your orders" on the menu is `CustomerId = '...'`. Absent for CLI orders. */
export const CUSTOMER_ID = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD)
/** Who picked the order up: "my deliveries" on the driver portal is `DriverId = '...'`. */
export const DRIVER_ID = defineSearchAttributeKey('DriverId', SearchAttributeType.KEYWORD)

/**
 * When the order last changed state (the workflow's clock), set in the same upsert as OrderState
 * so it costs no action of its own: the live cards' sweep asks visibility once a second for the
 * orders changed since its last round, however many cards it watches.
 */
export const ORDER_UPDATED_AT = defineSearchAttributeKey('OrderUpdatedAt', SearchAttributeType.DATETIME)

export const orderSearchAttributes = [ORDER_STATE, ORDER_PRODUCT_ID, CUSTOMER_ID, DRIVER_ID, ORDER_UPDATED_AT] as const

/**
 * An order's search attributes as it starts: its dish (a whole number only), its state and its
 * customer (when named). The API gives them at start, where they are free; the workflow's first
 * task upserts only those the start did not give (order-model.ts, `upsertStarted`).
 */
export function orderStartAttributes(productId: number, state: OrderState, customerId?: string): SearchAttributePair[] {
  return [
    ...(Number.isSafeInteger(productId) ? [{ key: ORDER_PRODUCT_ID, value: productId }] : []),
    { key: ORDER_STATE, value: state },
    ...(customerId !== undefined ? [{ key: CUSTOMER_ID, value: customerId }] : []),
  ]
}

/** The type names `temporal server start-dev --search-attribute NAME=TYPE` takes. */
const cliTypeNames: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
}

/** `['OrderState=Keyword', ...]`, for the dev server's `--search-attribute` flags. */
export function searchAttributeCliFlags(): string[] {
  return orderSearchAttributes.map((key) => `${key.name}=${cliTypeNames[key.type]}`)
}
