import { useEffect } from 'react'
import { products } from '@durable-delivery/common'
import { useLazyModule } from '@durable-delivery/ui/use-lazy-module'
import { DishCard } from '../components/dish-card'
import { useOrderHistory } from '../lib/order-history'
import { useQueryClient, useTRPC } from '../lib/trpc'
import { yourOrdersQuery } from '../lib/your-orders-query'

// The first screen is the dishes and the list's heading. The list itself (its query's observer,
// the cards' live status, countdown, timeline, rating, cancel) and the cart (its store,
// quantities, tip, total, Place order) are fetched right after it, in one chunk, while the page
// has already asked for the list's first page, so neither waits for the other.
const loadParts = () => import('../components/lazy-parts')

export default function MenuPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const pending = useOrderHistory()
  const parts = useLazyModule(loadParts)
  useEffect(() => {
    void queryClient.prefetchInfiniteQuery(yourOrdersQuery(trpc))
  }, [queryClient, trpc])
  return (
    <main className="page">
      <header className="masthead">
        <h1>Durable Delivery</h1>
        <p className="muted">Dinner that arrives, whatever fails on the way.</p>
      </header>
      <section aria-labelledby="menu-title">
        <h2 id="menu-title">Menu</h2>
        <div className="dishes">
          {products.map((product) => (
            <DishCard key={product.id} product={product} onPlaced={pending.add} onAdd={parts?.addToCart} />
          ))}
        </div>
      </section>
      {parts && <parts.CartSection onPlaced={pending.add} />}
      <section aria-labelledby="orders-title" className="history">
        <h2 id="orders-title">Your orders</h2>
        {parts ? (
          <parts.YourOrders pending={pending.orders} onPlaced={pending.add} />
        ) : pending.orders.length === 0 ? (
          <p className="muted empty">Loading…</p>
        ) : (
          // A card-sized placeholder for the moment the cards' code is on its way.
          <ul className="orders">
            <li className="order-placeholder" aria-hidden="true" />
          </ul>
        )}
      </section>
    </main>
  )
}
