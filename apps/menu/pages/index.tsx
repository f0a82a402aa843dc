import { products } from '@durable-delivery/common'
import { describeError } from '@durable-delivery/ui/errors'
import { Pager } from '@durable-delivery/ui/pager'
import { DishCard } from '../components/dish-card'
import { OrderLine } from '../components/order-line'
import { useYourOrders } from '../lib/use-your-orders'

export default function MenuPage() {
  const history = useYourOrders()
  const { pages } = history
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
            <DishCard key={product.id} product={product} onPlaced={history.add} />
          ))}
        </div>
      </section>
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
            {history.orders.map((order) => (
              <OrderLine key={order.orderId} order={order} onPlaced={history.add} />
            ))}
          </ul>
        )}
        <Pager pages={pages} label="Show older orders" />
      </section>
    </main>
  )
}
