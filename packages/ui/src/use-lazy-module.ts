import { useEffect, useState } from 'react'

/** Modules already fetched, so that a part mounted again renders at once. */
const fetched = new WeakMap<() => Promise<unknown>, unknown>()

/**
 * A module fetched with `import()` when a page first needs it: undefined until it is there, then
 * the module. `load` is a function defined once at module level; undefined fetches nothing yet.
 * Not React.lazy with Suspense: Suspense holds content that arrives behind its fallback for up to
 * 300 ms, a delay a customer would see; this renders as soon as the code is there. A failed fetch
 * is thrown to the error boundary, as React.lazy's would be.
 */
export function useLazyModule<T>(load: (() => Promise<T>) | undefined): T | undefined {
  const [state, setState] = useState<{ module?: T; error?: Error }>({})
  const known = load && (fetched.get(load) as T | undefined)
  useEffect(() => {
    if (!load || fetched.has(load)) return
    let mounted = true
    load().then(
      (module) => {
        fetched.set(load, module)
        if (mounted) setState({ module })
      },
      (error: unknown) => {
        if (mounted) setState({ error: error instanceof Error ? error : new Error(String(error)) })
      },
    )
    return () => {
      mounted = false
    }
  }, [load])
  if (state.error !== undefined) throw state.error
  return known ?? state.module
}
