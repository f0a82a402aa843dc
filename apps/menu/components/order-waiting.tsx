/**
 * Said instead of an error when the order's Worker (or the server) is not answering: the order is
 * durable, it carries on by itself once they are back, and the card keeps its last known state.
 */
export function OrderWaiting({ hasState }: { hasState: boolean }) {
  return (
    <p className="waiting" role="status">
      We can&apos;t reach the kitchen right now. Your order is safe and will continue by itself
      {hasState ? '; this is its last known state.' : '.'}
    </p>
  )
}
