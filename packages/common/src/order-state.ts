/** The order state machine shared by the workflow, the APIs and both sites. Browser-safe. */
export const ORDER_STATES = [
  'Charging card',
  'Paid',
  'Picked up',
  'Delivered',
  'Refunding',
  'Failed',
  'Cancelled',
] as const

export type OrderState = (typeof ORDER_STATES)[number]

/** What the `getStatus` query answers (the contract in docs/architecture.md). */
export interface OrderStatus {
  productId: number
  state: OrderState
  deliveredAt?: Date
  /** The price fixed when the order was placed, in cents (what is charged, whatever the menu says later). */
  cents?: number
  /** Who picked the order up (through the `pickUp` Update; a `pickedUp` signal names nobody). */
  driverId?: string
  /** Why a Failed or Cancelled order ended, in the workflow's words. */
  failure?: string
}

/** States after which nothing more happens to an order that a customer or driver can see. */
export function isFinalState(state: OrderState): boolean {
  return state === 'Delivered' || state === 'Failed' || state === 'Cancelled'
}

export function isOrderState(value: unknown): value is OrderState {
  return typeof value === 'string' && (ORDER_STATES as readonly string[]).includes(value)
}
