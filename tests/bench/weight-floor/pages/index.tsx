/** Bare Next: a page with neither React Query nor tRPC, under Next's default `_app`. */
export default function Bare() {
  return <p>Bare Next 16 pages-router page.</p>
}
