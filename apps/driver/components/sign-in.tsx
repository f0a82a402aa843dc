import { ErrorAlert } from '@durable-delivery/ui/error-alert'
import { useState, type FormEvent } from 'react'
import { useMutation, useQueryClient, useTRPC } from '../lib/trpc'

/**
 * The portal's front door: a driver id and password (DRIVER_ACCOUNTS), or in development without
 * accounts one button that signs in as the demo driver.
 */
export function SignIn({ demo }: { demo: boolean }) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const onSuccess = () => queryClient.invalidateQueries()
  const signIn = useMutation(trpc.auth.signIn.mutationOptions({ onSuccess }))
  const signInDemo = useMutation(trpc.auth.signInDemo.mutationOptions({ onSuccess }))
  const [driverId, setDriverId] = useState('')
  const [password, setPassword] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    signIn.mutate({ driverId, password })
  }
  const failed = signIn.error ?? signInDemo.error
  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Sign in</h2>
      {demo ? (
        <>
          <p className="muted">No driver accounts are configured (development): drive as the demo driver.</p>
          <button type="button" className="button" disabled={signInDemo.isPending} onClick={() => signInDemo.mutate()}>
            {signInDemo.isPending ? 'Signing in…' : 'Sign in as the demo driver'}
          </button>
        </>
      ) : (
        <form onSubmit={submit}>
          <label>
            Driver id
            <input
              name="driverId"
              autoComplete="username"
              required
              value={driverId}
              onChange={(event) => setDriverId(event.target.value)}
            />
          </label>
          <label>
            Password
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </label>
          <button type="submit" className="button" disabled={signIn.isPending}>
            {signIn.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      )}
      <ErrorAlert error={failed} />
    </section>
  )
}
