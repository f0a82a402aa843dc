import { useDriverListUpdates } from '../lib/use-driver-list-updates'
import { useMutation, useQueryClient, useTRPC } from '../lib/trpc'
import { ListSection } from './list-section'

/** Who is signed in, and the way out. */
export function SignedIn({ driverId }: { driverId: string }) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  // Signed out, every cached answer was someone else's: drop them all.
  const signOut = useMutation(trpc.auth.signOut.mutationOptions({ onSuccess: () => queryClient.resetQueries() }))
  return (
    <p className="muted">
      Signed in as <strong data-driver-id={driverId}>{driverId}</strong>.{' '}
      <button type="button" className="link-button" onClick={() => signOut.mutate()}>
        Sign out
      </button>
    </p>
  )
}

/** The signed-in driver's list: three sections, refetched when the server pushes a change. */
export function DriverList() {
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
