import { useId, useState, type FormEvent } from 'react'
import { ErrorAlert } from '@durable-delivery/ui/error-alert'
import { extraTipProblem, formatCents, TIP_LIMITS, type OrderRating as Rating } from '@durable-delivery/common'
import { useMutation, useQueryClient, useTRPC } from '../lib/trpc'

const STARS = [1, 2, 3, 4, 5] as const
const MAX_COMMENT = 500

const starsLabel = (stars: number) => `${stars} star${stars === 1 ? '' : 's'}`

/** The stars a customer gave, once rated. */
export function GivenRating({ rating }: { rating: Rating }) {
  return (
    <p className="rating-given">
      You rated it{' '}
      <span className="stars-shown" role="img" aria-label={`${starsLabel(rating.stars)} out of 5`}>
        {'★'.repeat(rating.stars)}
        {'☆'.repeat(5 - rating.stars)}
      </span>
      {rating.comment && <q className="muted">{rating.comment}</q>}
    </p>
  )
}

/**
 * 1-5 stars and an optional comment, for a delivered order, and for a cart's order an optional
 * extra tip for the driver (charged on its own). Radio buttons, so the keyboard works as
 * everywhere (Tab to the group, arrows to choose); the workflow decides whether the rating is
 * still accepted, and its refusal is shown as it comes.
 */
export function RateOrder({ orderId, dish, canTip = false }: { orderId: string; dish: string; canTip?: boolean }) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const [stars, setStars] = useState<number | undefined>(undefined)
  const [comment, setComment] = useState('')
  const [extraTip, setExtraTip] = useState('')
  const id = useId()
  // Dollars as typed; empty is no extra tip. Judged by the rule the server applies.
  const extraTipCents = extraTip.trim() === '' ? undefined : Math.round(Number(extraTip) * 100)
  const tipProblem =
    extraTipCents === undefined ? undefined : extraTipProblem(Number.isFinite(extraTipCents) ? extraTipCents : 0)
  const rate = useMutation(
    trpc.order.rate.mutationOptions({
      // The workflow's answer is the rating as recorded: shown at once, without asking again.
      onSuccess: ({ rating }) =>
        queryClient.setQueryData(trpc.order.getOrderStatus.queryKey(orderId), (view) =>
          view ? { ...view, rating } : view,
        ),
    }),
  )
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (stars === undefined || tipProblem !== undefined) return
    const trimmed = comment.trim()
    rate.mutate({
      orderId,
      stars,
      ...(trimmed ? { comment: trimmed } : {}),
      ...(canTip && extraTipCents !== undefined ? { extraTipCents } : {}),
    })
  }
  return (
    <form className="rate" onSubmit={submit} aria-label={`Rate your ${dish}`}>
      <fieldset className="stars">
        <legend>How was your {dish}?</legend>
        {STARS.map((value) => (
          <span key={value} className="star">
            <input
              type="radio"
              id={`${id}-${value}`}
              name={`${id}-stars`}
              value={value}
              checked={stars === value}
              onChange={() => setStars(value)}
            />
            <label htmlFor={`${id}-${value}`} className={stars !== undefined && value <= stars ? 'on' : ''}>
              <span aria-hidden="true">★</span>
              <span className="visually-hidden">{starsLabel(value)}</span>
            </label>
          </span>
        ))}
      </fieldset>
      <label className="rate-comment">
        <span>Comment (optional)</span>
        <textarea
          value={comment}
          maxLength={MAX_COMMENT}
          rows={2}
          onChange={(event) => setComment(event.target.value)}
        />
      </label>
      {canTip && (
        <label className="rate-tip">
          <span>Add to your driver&apos;s tip, in dollars (optional, at most {formatCents(TIP_LIMITS.maxCents)})</span>
          <input
            type="number"
            inputMode="decimal"
            min={0.01}
            max={TIP_LIMITS.maxCents / 100}
            step={0.01}
            value={extraTip}
            aria-invalid={tipProblem !== undefined}
            aria-describedby={tipProblem ? `${id}-tip-problem` : undefined}
            onChange={(event) => setExtraTip(event.target.value)}
          />
        </label>
      )}
      {canTip && tipProblem && (
        <p id={`${id}-tip-problem`} className="error" role="alert">
          {tipProblem}
        </p>
      )}
      <button
        type="submit"
        className="button"
        disabled={stars === undefined || tipProblem !== undefined || rate.isPending}
        aria-busy={rate.isPending}
      >
        {rate.isPending ? 'Sending…' : 'Send rating'}
      </button>
      <ErrorAlert error={rate.error} />
    </form>
  )
}
