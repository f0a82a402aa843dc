/** What the pager needs of a paged query (React Query's useInfiniteQuery result). */
interface PagedQuery {
  hasNextPage: boolean
  isFetchingNextPage: boolean
  fetchNextPage: () => Promise<unknown>
}

/** The button under a paged list that loads its next page; absent on the last page. */
export function Pager({ pages, label }: { pages: PagedQuery; label: string }) {
  if (!pages.hasNextPage) return null
  return (
    <button
      type="button"
      className="button more"
      disabled={pages.isFetchingNextPage}
      onClick={() => void pages.fetchNextPage()}
    >
      {pages.isFetchingNextPage ? 'Loading…' : label}
    </button>
  )
}
