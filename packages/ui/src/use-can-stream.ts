import { useSyncExternalStore } from 'react'

/**
 * Whether this browser can receive pushed updates (EventSource): undefined during the server
 * render and hydration (so both agree), then known; it does not change while the page lives.
 */
export function useCanStream(): boolean | undefined {
  return useSyncExternalStore(
    neverChanges,
    () => typeof EventSource === 'function',
    () => undefined,
  )
}

function neverChanges(): () => void {
  return () => undefined
}
