import { useSyncExternalStore } from 'react'
import { CART_LIMITS, getProductById, itemCount, type CartItem, type TipChoice } from '@durable-delivery/common'

/**
 * The cart the customer is filling, kept in localStorage so a reload (or a new tab) finds it as
 * it was. Only what the customer chose: the prices are the menu's, and the server prices the
 * order again when it is placed.
 */
export interface Cart {
  items: CartItem[]
  tip: TipChoice
  /** What last changed, said to screen readers ("Burrata added: 2 in your cart"). */
  said?: string
}

const KEY = 'durable-delivery:cart'
const EMPTY: Cart = { items: [], tip: { kind: 'none' } }

function isTip(value: unknown): value is TipChoice {
  if (typeof value !== 'object' || value === null) return false
  const { kind, percent, cents } = value as Record<string, unknown>
  return (
    kind === 'none' ||
    (kind === 'percent' && typeof percent === 'number') ||
    (kind === 'amount' && typeof cents === 'number')
  )
}

/** What is stored, as far as it makes sense: another version of the site (or a person) may have written anything. */
function parse(raw: string | null): Cart {
  try {
    const parsed = JSON.parse(raw ?? 'null') as Partial<Cart> | null
    if (typeof parsed !== 'object' || parsed === null) return EMPTY
    const items = (Array.isArray(parsed.items) ? parsed.items : []).filter(
      (item: unknown): item is CartItem =>
        typeof item === 'object' &&
        item !== null &&
        getProductById((item as CartItem).productId) !== undefined &&
        Number.isInteger((item as CartItem).quantity) &&
        (item as CartItem).quantity >= 1 &&
        (item as CartItem).quantity <= CART_LIMITS.maxQuantity,
    )
    return { items, tip: isTip(parsed.tip) ? parsed.tip : EMPTY.tip }
  } catch {
    return EMPTY
  }
}

// Parsed only when the stored text (or the last message) changed, so React gets the same object
// (and no re-render).
let said: string | undefined
let cached: { raw: string | null; said: string | undefined; cart: Cart } = { raw: null, said: undefined, cart: EMPTY }
function snapshot(): Cart {
  const raw = localStorage.getItem(KEY)
  if (raw !== cached.raw || said !== cached.said) {
    const cart = parse(raw)
    cached = { raw, said, cart: said === undefined ? cart : { ...cart, said } }
  }
  return cached.cart
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

function write(cart: Cart, message?: string): void {
  said = message
  if (cart.items.length === 0 && cart.tip.kind === 'none') localStorage.removeItem(KEY)
  else localStorage.setItem(KEY, JSON.stringify({ items: cart.items, tip: cart.tip }))
  for (const listener of listeners) listener()
}

const nameOf = (productId: number) => getProductById(productId)?.name ?? 'The dish'

/** One more of a dish, within the limits (a dish's 9, the order's 20). */
export function addToCart(productId: number): void {
  const cart = snapshot()
  const item = cart.items.find((entry) => entry.productId === productId)
  if (itemCount(cart.items) >= CART_LIMITS.maxItems) {
    write(cart, `Your cart is full: an order holds at most ${CART_LIMITS.maxItems} items`)
    return
  }
  if (item && item.quantity >= CART_LIMITS.maxQuantity) {
    write(cart, `At most ${CART_LIMITS.maxQuantity} of a dish: ${nameOf(productId)} is at ${item.quantity}`)
    return
  }
  const items = item
    ? cart.items.map((entry) => (entry === item ? { ...entry, quantity: entry.quantity + 1 } : entry))
    : [...cart.items, { productId, quantity: 1 }]
  write({ ...cart, items }, `${nameOf(productId)} added: ${itemCount(items)} in your cart`)
}

/** A dish's quantity (clamped to 1-9 and to what the order can still hold); 0 takes it out. */
export function setQuantity(productId: number, quantity: number): void {
  const cart = snapshot()
  if (quantity <= 0 || !Number.isFinite(quantity)) {
    const items = cart.items.filter((entry) => entry.productId !== productId)
    write({ ...cart, items }, `${nameOf(productId)} removed from your cart`)
    return
  }
  const others = itemCount(cart.items.filter((entry) => entry.productId !== productId))
  const allowed = Math.max(1, Math.min(Math.trunc(quantity), CART_LIMITS.maxQuantity, CART_LIMITS.maxItems - others))
  const items = cart.items.map((entry) => (entry.productId === productId ? { ...entry, quantity: allowed } : entry))
  write({ ...cart, items }, `${nameOf(productId)}: ${allowed}`)
}

export function setTip(tip: TipChoice): void {
  write({ ...snapshot(), tip })
}

/** Once the order is placed (or the customer empties it): the cart starts empty again. */
export function clearCart(message?: string): void {
  write(EMPTY, message)
}

/** "Order again": a placed order's dishes back in the cart, to change or tip before placing. */
export function fillCart(items: readonly CartItem[]): void {
  const cart = snapshot()
  write(
    { ...cart, items: items.map(({ productId, quantity }) => ({ productId, quantity })) },
    `Your cart holds ${itemCount(items)} items again`,
  )
}

/** The cart, read from localStorage; the server render (and hydration) sees an empty one. */
export function useCart(): Cart {
  return useSyncExternalStore(subscribe, snapshot, () => EMPTY)
}
