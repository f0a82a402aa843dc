import { useCallback, useSyncExternalStore } from 'react'
import type { OrderLine } from '@durable-delivery/common'

/**
 * What the browser remembers of an order it has just placed, until Temporal's visibility lists it
 * under the customer (a moment later): a cache for the pending order, never the record. "Your
 * orders" itself comes from the server (use-your-orders.ts).
 */
export interface PlacedOrder {
  orderId: string
  productId: number
  placedAt: number
  /**
   * A cart's order: its lines as placed (the card names every dish before its status arrives).
   * Checked where it is read (order-line.tsx), which keeps this first-screen module small.
   */
  lines?: OrderLine[]
}

const KEY = 'durable-delivery:orders'
/** Pending orders kept; the server's list has them all. */
const KEEP = 20
const NONE: PlacedOrder[] = []

function parse(raw: string | null): PlacedOrder[] {
  try {
    const parsed: unknown = JSON.parse(raw ?? '[]')
    if (!Array.isArray(parsed)) return NONE
    // Another version of the site (or a person) may have written anything here.
    return parsed.filter((entry: unknown): entry is PlacedOrder => {
      if (typeof entry !== 'object' || entry === null) return false
      const { orderId, productId, placedAt } = entry as Record<string, unknown>
      return typeof orderId === 'string' && typeof productId === 'number' && typeof placedAt === 'number'
    })
  } catch {
    return NONE
  }
}

// React asks for the snapshot on every render: parse only when the stored text changed, so the
// same text gives the same array (and no re-render).
let cached: { raw: string | null; orders: PlacedOrder[] } = { raw: null, orders: NONE }
function snapshot(): PlacedOrder[] {
  const raw = localStorage.getItem(KEY)
  if (raw !== cached.raw) cached = { raw, orders: parse(raw) }
  return cached.orders
}

/** This tab's listeners: the storage event only tells the *other* tabs about a write. */
const listeners = new Set<() => void>()
function subscribe(listener: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === KEY) listener()
  }
  listeners.add(listener)
  window.addEventListener('storage', onStorage)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('storage', onStorage)
  }
}

/**
 * This browser's recently placed orders, newest first, kept in localStorage. The server render (and hydration)
 * sees none, then React reads the store, so the two renders agree (no hydration mismatch).
 */
export function useOrderHistory() {
  const orders = useSyncExternalStore(subscribe, snapshot, () => NONE)
  const add = useCallback((order: PlacedOrder) => {
    const next = [order, ...snapshot().filter((entry) => entry.orderId !== order.orderId)].slice(0, KEEP)
    localStorage.setItem(KEY, JSON.stringify(next))
    for (const listener of listeners) listener()
  }, [])
  return { orders, add }
}
