import { ErrorAlert } from '@durable-delivery/ui/error-alert'
import { useLazyModule } from '@durable-delivery/ui/use-lazy-module'
import { useQuery, useTRPC } from '../lib/trpc'

// A visitor needs either the sign-in form or the driver list, never both. The list, what a
// returning driver sees, is fetched alongside the session (so it does not wait for its answer);
// the sign-in form once the session says it is needed. The page shows Loading… until then.
const loadDriverList = () => import('../components/driver-list')
const loadSignIn = () => import('../components/sign-in')

export default function DriverPage() {
  const trpc = useTRPC()
  const session = useQuery(trpc.auth.session.queryOptions())
  const driverId = session.data?.driverId
  const driverList = useLazyModule(loadDriverList)
  const signIn = useLazyModule(session.data && !driverId ? loadSignIn : undefined)
  const loading = <p className="muted">Loading…</p>
  return (
    <main className="page">
      <header className="masthead">
        <h1>Driver portal</h1>
        {driverId ? (
          driverList && <driverList.SignedIn driverId={driverId} />
        ) : (
          <p className="muted">Pick up paid orders and deliver them.</p>
        )}
      </header>
      <ErrorAlert error={session.error} />
      {session.isPending && loading}
      {session.data && !driverId && (signIn ? <signIn.SignIn demo={session.data.demo} /> : loading)}
      {driverId && (driverList ? <driverList.DriverList /> : loading)}
    </main>
  )
}
