import { useCallback, useEffect, useState } from 'react'

/** What the browser remembers of an order; everything else comes from Temporal. */
export interface PlacedOrder {
  orderId: string
  productId: number
  placedAt: number
}

const KEY = 'durable-delivery:orders'
/** The history shows the newest orders; older ones stay in Temporal (and its Web UI). */
const KEEP = 20

function read(): PlacedOrder[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]')
    if (!Array.isArray(parsed)) return []
    // Another version of the site (or a person) may have written anything here.
    return parsed.filter(
      (entry): entry is PlacedOrder =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof entry.orderId === 'string' &&
        typeof entry.productId === 'number' &&
        typeof entry.placedAt === 'number',
    )
  } catch {
    return []
  }
}

/**
 * This browser's orders, newest first, kept in localStorage. Read after mounting, so that the
 * server render and the first client render agree (no hydration mismatch).
 */
export function useOrderHistory() {
  const [orders, setOrders] = useState<PlacedOrder[]>([])
  useEffect(() => {
    setOrders(read())
    const onStorage = (event: StorageEvent) => {
      if (event.key === KEY) setOrders(read())
    }
    window.addEventListener('storage', onStorage)
    return () => window.removeEventListener('storage', onStorage)
  }, [])
  const add = useCallback((order: PlacedOrder) => {
    const next = [order, ...read().filter((entry) => entry.orderId !== order.orderId)].slice(0, KEEP)
    localStorage.setItem(KEY, JSON.stringify(next))
    setOrders(next)
  }, [])
  return { orders, add }
}
