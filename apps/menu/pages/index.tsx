import { products } from '@durable-delivery/common'
import { describeError } from '@durable-delivery/ui/errors'
import { Pager } from '@durable-delivery/ui/pager'
import { useLazyModule } from '@durable-delivery/ui/use-lazy-module'
import { DishCard } from '../components/dish-card'
import { useYourOrders } from '../lib/use-your-orders'

// The first screen is the dishes and the list's heading; the cards' code (live status, countdown,
// timeline, rating, cancel) and the cart's (its store, quantities, tip, total, Place order) are
// fetched right after it, in one chunk, while the list itself is being read, so a card does not
// wait for it in practice (a card-sized placeholder if it ever does).
const loadCards = () => import('../components/lazy-parts')

export default function MenuPage() {
  const history = useYourOrders()
  const { pages } = history
  const cards = useLazyModule(loadCards)
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
            <DishCard key={product.id} product={product} onPlaced={history.add} onAdd={cards?.addToCart} />
          ))}
        </div>
      </section>
      {cards && <cards.CartSection onPlaced={history.add} />}
      <section aria-labelledby="orders-title" className="history">
        <h2 id="orders-title">Your orders</h2>
        {pages.isError && history.orders.length === 0 && (
          <p className="muted">Your earlier orders cannot be listed right now ({describeError(pages.error)}).</p>
        )}
        {history.orders.length === 0 ? (
          !pages.isError && (
            <p className="muted empty">{pages.isPending ? 'Loading…' : 'No orders yet. Pick a dish above.'}</p>
          )
        ) : (
          <ul className="orders">
            {cards ? (
              history.orders.map((order) => (
                <cards.OrderLine key={order.orderId} order={order} onPlaced={history.add} />
              ))
            ) : (
              <li className="order-placeholder" aria-hidden="true" />
            )}
          </ul>
        )}
        <Pager pages={pages} label="Show older orders" />
      </section>
    </main>
  )
}
