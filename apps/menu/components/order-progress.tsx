import type { OrderState } from '@durable-delivery/common'

/** The happy path a customer hopes for; Refunding and Failed leave it. */
const STEPS: readonly OrderState[] = ['Charging card', 'Paid', 'Picked up', 'Delivered']

export function OrderProgress({ state }: { state: OrderState }) {
  // Delivered is the end of the story: every step done, none still current.
  const reached = state === 'Delivered' ? STEPS.length : STEPS.indexOf(state)
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
