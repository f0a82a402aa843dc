import { useEffect, useEffectEvent, useState } from 'react'
import type { SubscriptionOptions } from './procedure-options'

export type SubscriptionStatus = 'idle' | 'connecting' | 'pending' | 'error'

/**
 * Subscribes while `enabled` (by default), again whenever the key (procedure and input) changes.
 * The status follows the connection: `connecting` (with the error that broke the last one, if
 * any), `pending` once events can arrive, `error` after a final error, `idle` once ended.
 * Reconnecting, with the last tracked event id, is the link's work (httpSubscriptionLink). Its own
 * module, so that only the parts of a page that subscribe (loaded lazily) carry it.
 */
export function useSubscription<TData, TError>(
  options: SubscriptionOptions<TData, TError>,
): { status: SubscriptionStatus; error: TError | null } {
  const { key, enabled = true } = options
  const [state, setState] = useState<{ key?: string; status: SubscriptionStatus; error: TError | null }>({
    status: 'connecting',
    error: null,
  })
  // The latest options, whatever render made them, without subscribing again.
  const latest = useEffectEvent(() => options)
  useEffect(() => {
    if (!enabled) return
    const set = (status: SubscriptionStatus, error: TError | null = null) =>
      setState((last) =>
        last.key === key && last.status === status && last.error === error ? last : { key, status, error },
      )
    const subscription = latest().subscribe({
      onStarted: () => {
        latest().onStarted?.()
        set('pending')
      },
      onData: (data) => {
        latest().onData?.(data)
        set('pending')
      },
      onError: (error) => {
        latest().onError?.(error)
        set('error', error)
      },
      onConnectionStateChange: (change) => {
        latest().onConnectionStateChange?.(change)
        if (change.state === 'connecting') set('connecting', change.error)
        if (change.state === 'idle') set('idle')
      },
    })
    return () => subscription.unsubscribe()
  }, [key, enabled])
  if (!enabled) return { status: 'idle', error: null }
  // A new key is a new subscription: connecting, until it says otherwise.
  return state.key === key ? state : { status: 'connecting', error: null }
}
