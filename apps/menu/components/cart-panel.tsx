import { useId, useState } from 'react'
import {
  CART_LIMITS,
  formatCents,
  getProductById,
  itemCount,
  priceCart,
  subtotalCents,
  TIP_LIMITS,
  tipFor,
  tipProblem,
  totalCents,
  type TipChoice,
} from '@durable-delivery/common'
import { ErrorAlert } from '@durable-delivery/ui/error-alert'
import { addToCart, clearCart, setQuantity, setTip, useCart } from '../lib/cart-store'
import type { PlacedOrder } from '../lib/order-history'
import { usePlaceCart } from '../lib/use-place-cart'

// The dish cards' "Add to cart" (the page hands it to them once this module is there).
export { addToCart }

const QUANTITIES = Array.from({ length: CART_LIMITS.maxQuantity }, (_, index) => index + 1)

/**
 * The cart: its live region (what the cart buttons changed, said to screen readers), and once
 * something is in it, the lines, the tip and the total with one Place order.
 */
export function CartSection({ onPlaced }: { onPlaced: (order: PlacedOrder) => void }) {
  const cart = useCart()
  return (
    <>
      <p className="visually-hidden" role="status">
        {cart.said ?? ''}
      </p>
      {cart.items.length > 0 && <CartPanel items={cart.items} tip={cart.tip} onPlaced={onPlaced} />}
    </>
  )
}

function CartPanel({
  items,
  tip,
  onPlaced,
}: {
  items: ReturnType<typeof useCart>['items']
  tip: TipChoice
  onPlaced: (order: PlacedOrder) => void
}) {
  const order = usePlaceCart(onPlaced)
  // At the menu's prices now: the server prices the order the same way when it is placed.
  const lines = priceCart(items)
  const subtotal = subtotalCents(lines)
  const problem = tipProblem(tip)
  const charged = problem ? undefined : tipFor(tip, subtotal)
  const count = itemCount(items)
  return (
    <section aria-labelledby="cart-title" className="cart">
      <h2 id="cart-title">Your cart</h2>
      <ul className="cart-lines">
        {lines.map((line) => {
          const name = getProductById(line.productId)?.name ?? `Dish #${line.productId}`
          // What the order can still hold decides how many of this dish can be chosen.
          const most = Math.min(CART_LIMITS.maxQuantity, CART_LIMITS.maxItems - (count - line.quantity))
          return (
            <li key={line.productId} className="cart-line" data-product-id={line.productId}>
              <span className="cart-dish">{name}</span>
              <label className="cart-quantity">
                <span className="visually-hidden">Quantity of {name}</span>
                <select
                  value={line.quantity}
                  onChange={(event) => setQuantity(line.productId, Number(event.target.value))}
                >
                  {QUANTITIES.filter((quantity) => quantity <= most).map((quantity) => (
                    <option key={quantity} value={quantity}>
                      {quantity}
                    </option>
                  ))}
                </select>
              </label>
              <span className="cart-money">{formatCents(line.cents * line.quantity)}</span>
              <button
                type="button"
                className="button small"
                aria-label={`Remove ${name} from the cart`}
                onClick={() => setQuantity(line.productId, 0)}
              >
                Remove
              </button>
            </li>
          )
        })}
      </ul>
      <p className="muted cart-count">
        {count} of at most {CART_LIMITS.maxItems} items
      </p>
      <TipChooser tip={tip} subtotal={subtotal} />
      <dl className="money">
        <dt>Subtotal</dt>
        <dd data-money="subtotal">{formatCents(subtotal)}</dd>
        <dt>Tip</dt>
        <dd data-money="tip">{charged ? formatCents(charged.cents) : problem ? '—' : 'No tip'}</dd>
        <dt>Total</dt>
        <dd data-money="total">{formatCents(totalCents(lines, charged))}</dd>
      </dl>
      <div className="order-actions">
        <button
          type="button"
          className="button primary"
          aria-busy={order.isPending}
          disabled={order.isPending || problem !== undefined}
          onClick={() => order.place(items, tip, () => clearCart('Your order is placed: see it under Your orders'))}
        >
          {order.isPending ? 'Placing your order…' : `Place order · ${formatCents(totalCents(lines, charged))}`}
        </button>
        <button type="button" className="button" onClick={() => clearCart('Your cart is empty')}>
          Empty the cart
        </button>
      </div>
      <ErrorAlert error={order.error} />
    </section>
  )
}

/**
 * None, a share of the subtotal, or an amount: radio buttons (Tab to the group, arrows to choose),
 * and a dollar field for the amount, checked by the same rule the server applies (tipProblem).
 */
function TipChooser({ tip, subtotal }: { tip: TipChoice; subtotal: number }) {
  const id = useId()
  const [amount, setAmount] = useState(() => (tip.kind === 'amount' ? (tip.cents / 100).toFixed(2) : ''))
  const problem = tipProblem(tip)
  const chooseAmount = (text: string) => {
    setAmount(text)
    // An unreadable field is a tip of 0 cents: refused with its sentence until it is fixed.
    const cents = Math.round(Number(text) * 100)
    setTip({ kind: 'amount', cents: Number.isFinite(cents) ? cents : 0 })
  }
  const choices: { key: string; label: string; choice: TipChoice }[] = [
    { key: 'none', label: 'No tip', choice: { kind: 'none' } },
    ...TIP_LIMITS.percents.map((percent): { key: string; label: string; choice: TipChoice } => ({
      key: String(percent),
      label: `${percent} % (${formatCents(tipFor({ kind: 'percent', percent }, subtotal)!.cents)})`,
      choice: { kind: 'percent', percent },
    })),
  ]
  return (
    <fieldset className="tip">
      <legend>Tip for your driver</legend>
      {choices.map(({ key, label, choice }) => (
        <span key={key} className="tip-choice">
          <input
            type="radio"
            id={`${id}-${key}`}
            name={`${id}-tip`}
            checked={
              tip.kind === choice.kind &&
              (choice.kind !== 'percent' || (tip.kind === 'percent' && tip.percent === choice.percent))
            }
            onChange={() => setTip(choice)}
          />
          <label htmlFor={`${id}-${key}`}>{label}</label>
        </span>
      ))}
      <span className="tip-choice">
        <input
          type="radio"
          id={`${id}-amount`}
          name={`${id}-tip`}
          checked={tip.kind === 'amount'}
          onChange={() => chooseAmount(amount || '5.00')}
        />
        <label htmlFor={`${id}-amount`}>An amount</label>
      </span>
      {tip.kind === 'amount' && (
        <label className="tip-amount">
          <span>Tip in dollars (at most {formatCents(TIP_LIMITS.maxCents)})</span>
          <input
            type="number"
            inputMode="decimal"
            min={0.01}
            max={TIP_LIMITS.maxCents / 100}
            step={0.01}
            value={amount}
            aria-invalid={problem !== undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
            onChange={(event) => chooseAmount(event.target.value)}
          />
        </label>
      )}
      {problem && (
        <p id={`${id}-problem`} className="error" role="alert">
          {problem}
        </p>
      )}
    </fieldset>
  )
}
