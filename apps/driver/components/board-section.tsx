import type { BoardSection as Section } from '@durable-delivery/api'
import { describeError } from '@durable-delivery/api/client/errors'
import { useInfiniteQuery, useTRPC } from '../lib/trpc'
import { OrdersTable } from './orders-table'

/** How often a section is refreshed: one shared visibility read on the server, whoever asks. */
const REFRESH_MS = 2_000

const COLUMNS = 5

interface BoardSectionProps {
  section: Section
  title: string
  /** What an empty section says. */
  empty: string
}

/**
 * One section of the driver list, a page at a time: "Show more" follows the server's cursor, so
 * every order can be reached, however many there are.
 */
export function BoardSection({ section, title, empty }: BoardSectionProps) {
  const trpc = useTRPC()
  const pages = useInfiniteQuery(
    trpc.delivery.listSection.infiniteQueryOptions(
      { section },
      { getNextPageParam: (page) => page.nextCursor, refetchInterval: REFRESH_MS },
    ),
  )
  const rows = pages.data?.pages.flatMap((page) => page.rows) ?? []
  const total = pages.data?.pages[0]?.total
  const headingId = `section-${section}`
  let status: React.ReactNode = null
  if (pages.isError) {
    // Shown above the last rows we had, if any: a failed refresh does not empty the table.
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
    <section aria-labelledby={headingId} className="board-section" data-section={section}>
      <h2 id={headingId}>
        {title} <span className="count">{total === undefined ? '' : `(${total})`}</span>
      </h2>
      <OrdersTable rows={rows} status={status} label={title} />
      {pages.hasNextPage && (
        <button
          type="button"
          className="button more"
          disabled={pages.isFetchingNextPage}
          onClick={() => void pages.fetchNextPage()}
        >
          {pages.isFetchingNextPage ? 'Loading…' : `Show more (${rows.length} of ${total ?? '?'} shown)`}
        </button>
      )}
    </section>
  )
}
