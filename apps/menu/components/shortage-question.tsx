import { formatCents, getProductById, type OrderShortage } from '@durable-delivery/common'
import { ErrorAlert } from '@durable-delivery/ui/error-alert'
import { formatRemaining, useNow } from '@durable-delivery/ui/use-now'
import { useMutation, useQueryClient, useTRPC } from '../lib/trpc'

/**
 * The restaurant is out of some dishes: the customer goes ahead without them (their lines back,
 * the tip's share with them) or cancels (everything back), before a deadline shown as a
 * countdown; no answer by then goes ahead. The workflow decides whether the question is still
 * open, and its refusal is shown as it comes.
 */
export function ShortageQuestion({ orderId, shortage }: { orderId: string; shortage: OrderShortage }) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const answer = useMutation(
    trpc.order.answerShortage.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.order.getOrderStatus.queryKey(orderId) }),
    }),
  )
  const now = useNow(true)
  const remaining = shortage.deadline === undefined ? 0 : Date.parse(shortage.deadline) - now
  const dishes = shortage.productIds.map((id) => getProductById(id)?.name ?? `Dish #${id}`).join(' and ')
  const headingId = `shortage-${orderId}`
  return (
    <div className="shortage" role="group" aria-labelledby={headingId} data-shortage="asked">
      {/* Announced once as it appears; the countdown below is a timer, not read on every tick. */}
      <p id={headingId} role="alert">
        The restaurant is out of {dishes}. Go ahead without {shortage.productIds.length > 1 ? 'them' : 'it'} (
        {formatCents(shortage.refundCents)} back to your card) or cancel the order (everything back)?
      </p>
      <p className="countdown muted" role="timer">
        {remaining > 0
          ? `${formatRemaining(remaining)} to answer, then it goes ahead without ${dishes}`
          : `Going ahead without ${dishes}`}
      </p>
      <div className="order-actions">
        <button
          type="button"
          className="button primary"
          disabled={answer.isPending || answer.isSuccess}
          aria-busy={answer.isPending && answer.variables.goAhead}
          onClick={() => answer.mutate({ orderId, goAhead: true })}
        >
          Go ahead without {dishes}
        </button>
        <button
          type="button"
          className="button"
          disabled={answer.isPending || answer.isSuccess}
          aria-busy={answer.isPending && !answer.variables.goAhead}
          onClick={() => answer.mutate({ orderId, goAhead: false })}
        >
          Cancel the order
        </button>
      </div>
      <ErrorAlert error={answer.error} />
    </div>
  )
}
