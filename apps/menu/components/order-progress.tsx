import type { OrderState } from '@durable-delivery/common'

/** The happy path a customer hopes for; Refunding and Failed leave it. */
const STEPS: readonly OrderState[] = ['Charging card', 'Paid', 'Picked up', 'Delivered']

export function OrderProgress({ state }: { state: OrderState }) {
  const reached = STEPS.indexOf(state)
  if (reached < 0) return null
  return (
    <ol className="progress" aria-hidden="true">
      {STEPS.map((step, index) => (
        <li key={step} className={index < reached ? 'done' : index === reached ? 'current' : ''}>
          {step}
        </li>
      ))}
    </ol>
  )
}
