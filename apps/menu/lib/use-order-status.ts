import { useState } from 'react'
import { useCanStream } from '@durable-delivery/ui/use-can-stream'
import { errorCode } from '@durable-delivery/ui/errors'
import { isFinalState } from '@durable-delivery/common'
import { useQuery, useQueryClient, useSubscription, useTRPC } from './trpc'

/**
 * Polling, for browsers where the pushed status cannot arrive (no EventSource, or the stream
 * keeps failing). While paying, often: the charge takes about 0.2 s (docs/benchmarks.md, place).
 */
const POLL_MS = 1_000
const PAYING_POLL_MS = 100
/** Failed connections in a row after which the card stops waiting for a push and polls instead. */
const MAX_STREAM_FAILURES = 5
/** A single reconnect is routine (a function's time limit, a redeploy): trouble is said from the second failure on. */
const TROUBLE_AFTER_FAILURES = 2

/**
 * An order's status, pushed by the server (`order.watchOrderStatus` over SSE) and kept in the
 * same React Query cache entry as `order.getOrderStatus`, so the card reads one place whichever
 * way the status came. Falls back to polling getOrderStatus when SSE is unavailable.
 */
export function useOrderStatus(orderId: string) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const queryKey = trpc.order.getOrderStatus.queryKey(orderId)
  // Known only in the browser: decided after mount, so the server render and hydration agree.
  const canStream = useCanStream()
  const [failures, setFailures] = useState(0)
  // The server ends the stream itself once the order has closed: nothing more will come.
  const [ended, setEnded] = useState(false)
  const streaming = canStream === true && failures < MAX_STREAM_FAILURES

  const stream = useSubscription(
    trpc.order.watchOrderStatus.subscriptionOptions(
      { orderId },
      {
        enabled: streaming && !ended,
        onData: ({ data }) => {
          setFailures(0)
          queryClient.setQueryData(queryKey, data)
        },
        onConnectionStateChange: (change) => {
          if (change.state === 'connecting' && change.error) setFailures((count) => count + 1)
          if (change.state === 'idle') setEnded(true)
        },
        // Not retryable (no such order, bad input): the query below shows it the usual way.
        onError: () => setFailures(MAX_STREAM_FAILURES),
      },
    ),
  )

  const status = useQuery(
    trpc.order.getOrderStatus.queryOptions(orderId, {
      // Asked only when nothing is pushed: before the browser is known to stream, never; then
      // only as the fallback.
      enabled: canStream === false || failures >= MAX_STREAM_FAILURES,
      refetchInterval: (query) => {
        const state = query.state.data?.state
        if (state && isFinalState(state)) return false
        if (errorCode(query.state.error) === 'NOT_FOUND') return false
        return !state || state === 'Charging card' ? PAYING_POLL_MS : POLL_MS
      },
    }),
  )

  /** The connection trouble of the moment, if any: a stream failing to reconnect, or a failed poll. */
  const trouble = stream.status === 'connecting' && failures >= TROUBLE_AFTER_FAILURES ? stream.error : status.error
  return { data: status.data, error: trouble ?? null, streaming: streaming && !ended }
}
