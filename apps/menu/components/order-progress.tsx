import type { OrderState } from '@durable-delivery/common'

/** The happy path a customer hopes for; Refunding and Failed leave it. */
const STEPS: readonly OrderState[] = ['Charging card', 'Paid', 'Picked up', 'Delivered']
/** A cart's order goes through the restaurant's kitchen between payment and pickup. */
const CART_STEPS: readonly OrderState[] = ['Charging card', 'Paid', 'Preparing', 'Ready', 'Picked up', 'Delivered']

export function OrderProgress({ state, cart = false }: { state: OrderState; cart?: boolean }) {
  const steps = cart ? CART_STEPS : STEPS
  // Delivered is the end of the story: every step done, none still current.
  const reached = state === 'Delivered' ? steps.length : steps.indexOf(state)
  if (reached < 0) return null
  return (
    <ol className="progress" aria-hidden="true">
      {steps.map((step, index) => (
        <li key={step} className={index < reached ? 'done' : index === reached ? 'current' : ''}>
          {step}
        </li>
      ))}
    </ol>
  )
}
