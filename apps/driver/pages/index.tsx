import { ErrorAlert } from '@durable-delivery/ui/error-alert'
import { lazy, Suspense } from 'react'
import { useQuery, useTRPC } from '../lib/trpc'

// A visitor needs either the sign-in form or the signed-in board, never both: each is fetched once
// the session says which (the page shows Loading… until then anyway).
const SignIn = lazy(() => import('../components/sign-in').then((module) => ({ default: module.SignIn })))
const loadBoard = () => import('../components/driver-board')
const SignedIn = lazy(() => loadBoard().then((module) => ({ default: module.SignedIn })))
const DriverList = lazy(() => loadBoard().then((module) => ({ default: module.DriverList })))

export default function DriverPage() {
  const trpc = useTRPC()
  const session = useQuery(trpc.auth.session.queryOptions())
  const driverId = session.data?.driverId
  return (
    <main className="page">
      <header className="masthead">
        <h1>Driver portal</h1>
        {driverId ? (
          <Suspense fallback={null}>
            <SignedIn driverId={driverId} />
          </Suspense>
        ) : (
          <p className="muted">Pick up paid orders and deliver them.</p>
        )}
      </header>
      <ErrorAlert error={session.error} />
      {session.isPending && <p className="muted">Loading…</p>}
      <Suspense fallback={<p className="muted">Loading…</p>}>
        {session.data && !driverId && <SignIn demo={session.data.demo} />}
        {driverId && <DriverList />}
      </Suspense>
    </main>
  )
}
