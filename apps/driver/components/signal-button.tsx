import { ErrorAlert } from '@durable-delivery/ui/error-alert'
import { useMutation, useQueryClient, useTRPC } from '../lib/trpc'

interface SignalButtonProps {
  orderId: string
  /** Which order, in words, for the button's accessible name: "order 1a2b3c4d (Burrata)". */
  orderName: string
  action: 'pickUp' | 'deliver'
  /** Why it cannot be pressed yet (a cart still in the kitchen): shown disabled, with the reason as its description. */
  notYet?: string
}

const labels = {
  pickUp: { idle: 'Pick up', busy: 'Picking up…' },
  deliver: { idle: 'Deliver', busy: 'Delivering…' },
} as const

/** Pick up / Deliver: pending while the signal is sent, the error beside it if it was refused. */
export function SignalButton({ orderId, orderName, action, notYet }: SignalButtonProps) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const mutation = useMutation(
    trpc.driverList[action].mutationOptions({
      // Whatever happened, the list should show the order's real state now.
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.driverList.listSection.pathKey() }),
    }),
  )
  const label = labels[action]
  return (
    <span className="signal">
      <button
        type="button"
        className={`button ${action}`}
        disabled={mutation.isPending || notYet !== undefined}
        title={notYet}
        aria-busy={mutation.isPending}
        // A screen reader lists every row's buttons together: each must say which order it acts on.
        aria-label={`${label.idle} ${orderName}`}
        onClick={() => mutation.mutate(orderId)}
      >
        {mutation.isPending ? label.busy : label.idle}
      </button>
      <ErrorAlert error={mutation.error} inline />
    </span>
  )
}
