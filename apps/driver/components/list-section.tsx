import type { DriverListSection as Section } from '@durable-delivery/api'
import { describeError, errorCode } from '@durable-delivery/ui/errors'
import { Pager } from '@durable-delivery/ui/pager'
import { useInfiniteQuery, useTRPC } from '../lib/trpc'
import { OrdersTable } from './orders-table'

/** Without pushed updates (no SSE), how often a section is refreshed: one shared read on the server. */
const POLL_MS = 2_000
/**
 * An order picked up a moment ago gets its delivery countdown a task later (the workflow starts
 * the delivery window once the customer was told), and nothing is pushed for that: the section
 * asks again until every order on its way shows one.
 */
const COUNTDOWN_PENDING_POLL_MS = 1_000

const COLUMNS = 5

interface ListSectionProps {
  section: Section
  title: string
  /** What an empty section says. */
  empty: string
  /** Whether changes are pushed (then the section refetches on each push instead of polling). */
  pushed: boolean
}

/**
 * One section of the driver list, a page at a time: "Show more" follows the server's cursor, so
 * every order can be reached, however many there are. A failed refresh keeps the rows it had,
 * marked as not refreshed, with the time they are from.
 */
export function ListSection({ section, title, empty, pushed }: ListSectionProps) {
  const trpc = useTRPC()
  const pages = useInfiniteQuery(
    trpc.driverList.listSection.infiniteQueryOptions(
      { section },
      {
        getNextPageParam: (page) => page.nextCursor,
        refetchInterval: (query) => {
          if (!pushed) return POLL_MS
          const pending = query.state.data?.pages.some((page) =>
            page.rows.some((row) => row.ok && row.state === 'Picked up' && row.deliveryDeadline === undefined),
          )
          return pending ? COUNTDOWN_PENDING_POLL_MS : false
        },
      },
    ),
  )
  const rows = pages.data?.pages.flatMap((page) => page.rows) ?? []
  const total = pages.data?.pages[0]?.total
  const stale = pages.isError && pages.data !== undefined
  const headingId = `section-${section}`
  let status: React.ReactNode = null
  if (stale) {
    const asOf = new Date(pages.dataUpdatedAt).toLocaleTimeString()
    status = (
      <tr className="status-row stale-row">
        <td colSpan={COLUMNS} role="status">
          {errorCode(pages.error) === 'SERVICE_UNAVAILABLE'
            ? `Temporal is not answering right now. These orders are as of ${asOf}; the list refreshes by itself when it is back.`
            : `This list could not be refreshed (${describeError(pages.error)}). These orders are as of ${asOf}.`}
        </td>
      </tr>
    )
  } else if (pages.isError) {
    status = (
      <tr className="status-row error-row">
        <td colSpan={COLUMNS} role="alert">
          {describeError(pages.error)}
        </td>
      </tr>
    )
  } else if (pages.isPending) {
    status = (
      <tr className="status-row">
        <td colSpan={COLUMNS}>Loading orders…</td>
      </tr>
    )
  } else if (rows.length === 0) {
    status = (
      <tr className="status-row empty">
        <td colSpan={COLUMNS}>{empty}</td>
      </tr>
    )
  }
  return (
    <section aria-labelledby={headingId} className="list-section" data-section={section}>
      <h2 id={headingId}>
        {title} <span className="count">{total === undefined ? '' : `(${total})`}</span>
      </h2>
      <OrdersTable rows={rows} status={status} label={title} stale={stale} />
      <Pager pages={pages} label={`Show more (${rows.length} of ${total ?? '?'} shown)`} />
    </section>
  )
}
