import { ErrorAlert } from '@durable-delivery/ui/error-alert'
import { formatCents, type Product } from '@durable-delivery/common'
import type { PlacedOrder } from '../lib/order-history'
import { usePlaceOrder } from '../lib/use-place-order'

export function DishCard({
  product,
  onPlaced,
  onAdd,
}: {
  product: Product
  onPlaced: (order: PlacedOrder) => void
  /** Puts one in the cart; undefined for the moment the cart's code is on its way. */
  onAdd: ((productId: number) => void) | undefined
}) {
  const order = usePlaceOrder(onPlaced)
  return (
    <article className="dish" data-product-id={product.id}>
      <img className="dish-art" src={product.image} alt={product.name} width={320} height={200} />
      <div className="dish-body">
        <header className="dish-header">
          <h3>{product.name}</h3>
          <span className="price">{formatCents(product.cents)}</span>
        </header>
        <p className="dish-description">{product.description}</p>
        <button
          type="button"
          className="button primary"
          aria-label={`Order ${product.name}`}
          aria-busy={order.isPending}
          disabled={order.isPending}
          onClick={() => order.place(product.id)}
        >
          {order.isPending ? 'Ordering…' : 'Order'}
        </button>
        <button
          type="button"
          className="button"
          aria-label={`Add to cart: ${product.name}`}
          disabled={!onAdd}
          onClick={() => onAdd?.(product.id)}
        >
          Add to cart
        </button>
        <ErrorAlert error={order.error} />
      </div>
    </article>
  )
}
