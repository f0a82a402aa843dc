import type { SentNotification } from '@durable-delivery/common'

const time = (iso: string) => new Date(iso).toLocaleTimeString()

/** What the customer was actually sent (paid, picked up, delivered, refunds, rate your meal), oldest first. */
export function OrderTimeline({ notifications }: { notifications: SentNotification[] | undefined }) {
  if (!notifications || notifications.length === 0) return null
  return (
    <ol className="timeline" aria-label="Messages about this order">
      {notifications.map((notification, index) => (
        // Sent messages are only ever appended: the position identifies one.
        <li key={index}>
          <time dateTime={notification.at}>{time(notification.at)}</time> <span>{notification.message}</span>
        </li>
      ))}
    </ol>
  )
}
