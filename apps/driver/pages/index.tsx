import { ErrorAlert } from '@durable-delivery/ui/error-alert'
import { useLazyModule } from '@durable-delivery/ui/use-lazy-module'
import { useQuery, useTRPC } from '../lib/trpc'

// A visitor needs either the sign-in form or the signed-in board, never both. The board, what a
// returning driver sees, is fetched alongside the session (so it does not wait for its answer);
// the sign-in form once the session says it is needed. The page shows Loading… until then.
const loadBoard = () => import('../components/driver-board')
const loadSignIn = () => import('../components/sign-in')

export default function DriverPage() {
  const trpc = useTRPC()
  const session = useQuery(trpc.auth.session.queryOptions())
  const driverId = session.data?.driverId
  const board = useLazyModule(loadBoard)
  const signIn = useLazyModule(session.data && !driverId ? loadSignIn : undefined)
  const loading = <p className="muted">Loading…</p>
  return (
    <main className="page">
      <header className="masthead">
        <h1>Driver portal</h1>
        {driverId ? (
          board && <board.SignedIn driverId={driverId} />
        ) : (
          <p className="muted">Pick up paid orders and deliver them.</p>
        )}
      </header>
      <ErrorAlert error={session.error} />
      {session.isPending && loading}
      {session.data && !driverId && (signIn ? <signIn.SignIn demo={session.data.demo} /> : loading)}
      {driverId && (board ? <board.DriverList /> : loading)}
    </main>
  )
}
