import { ErrorAlert } from '@durable-delivery/ui/error-alert'
import { ListSection } from '../components/list-section'
import { SignIn } from '../components/sign-in'
import { useDriverListUpdates } from '../lib/use-driver-list-updates'
import { useMutation, useQuery, useQueryClient, useTRPC } from '../lib/trpc'

export default function DriverPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const session = useQuery(trpc.auth.session.queryOptions())
  // Signed out, every cached answer was someone else's: drop them all.
  const signOut = useMutation(trpc.auth.signOut.mutationOptions({ onSuccess: () => queryClient.resetQueries() }))
  const driverId = session.data?.driverId
  return (
    <main className="page">
      <header className="masthead">
        <h1>Driver portal</h1>
        {driverId ? (
          <p className="muted">
            Signed in as <strong data-driver-id={driverId}>{driverId}</strong>.{' '}
            <button type="button" className="link-button" onClick={() => signOut.mutate()}>
              Sign out
            </button>
          </p>
        ) : (
          <p className="muted">Pick up paid orders and deliver them.</p>
        )}
      </header>
      <ErrorAlert error={session.error} />
      {session.isPending && <p className="muted">Loading…</p>}
      {session.data && !driverId && <SignIn demo={session.data.demo} />}
      {driverId && (
        <>
          <DriverList />
        </>
      )}
    </main>
  )
}

/** The signed-in driver's list: three sections, refetched when the server pushes a change. */
function DriverList() {
  const { pushed } = useDriverListUpdates()
  return (
    <>
      <ListSection
        section="ready"
        title="Ready for pickup"
        empty="No paid orders are waiting. Orders placed on the menu show up here."
        pushed={pushed}
      />
      <ListSection section="mine" title="My deliveries" empty="You have no orders on the way." pushed={pushed} />
      <ListSection section="closed" title="Recently closed" empty="No order has ended yet." pushed={pushed} />
    </>
  )
}
