import { useState } from 'react'
import { useCanStream } from '@durable-delivery/ui/use-can-stream'
import { useQueryClient, useSubscription, useTRPC } from './trpc'

/** Failed connections in a row after which the portal stops waiting for pushes and polls instead. */
const MAX_STREAM_FAILURES = 5

/**
 * The driver list's changes, pushed by the server (`driverList.watchList` over SSE): each push
 * refetches the sections, which the server answers from its shared reads. `pushed` is false where
 * SSE is unavailable, and the sections then poll.
 */
export function useDriverListUpdates(): { pushed: boolean } {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const canStream = useCanStream()
  const [failures, setFailures] = useState(0)
  const streaming = canStream === true && failures < MAX_STREAM_FAILURES
  useSubscription(
    trpc.driverList.watchList.subscriptionOptions(undefined, {
      enabled: streaming,
      onData: () => {
        setFailures(0)
        void queryClient.invalidateQueries({ queryKey: trpc.driverList.listSection.pathKey() })
      },
      onConnectionStateChange: (change) => {
        if (change.state === 'connecting' && change.error) setFailures((count) => count + 1)
      },
      onError: () => setFailures(MAX_STREAM_FAILURES),
    }),
  )
  return { pushed: streaming }
}
