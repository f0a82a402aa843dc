import { products } from '@durable-delivery/common'
import { DishCard } from '../components/dish-card'
import { OrderLine } from '../components/order-line'
import { useOrderHistory } from '../lib/order-history'

export default function MenuPage() {
  const history = useOrderHistory()
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
        {history.orders.length === 0 ? (
          <p className="muted empty">No orders yet. Pick a dish above.</p>
        ) : (
          <ul className="orders">
            {history.orders.map((order) => (
              <OrderLine key={order.orderId} order={order} onPlaced={history.add} />
            ))}
          </ul>
        )}
      </section>
    </main>
  )
}
