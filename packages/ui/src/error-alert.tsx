import { describeError } from './errors'

/**
 * A failed call in one sentence for a person (describeError), announced by screen readers as it
 * appears; nothing while there is no error. `inline` sits beside a button instead of under it.
 */
export function ErrorAlert({ error, inline = false }: { error: unknown; inline?: boolean }) {
  if (!error) return null
  const Tag = inline ? 'span' : 'p'
  return (
    <Tag className="error" role="alert">
      {describeError(error)}
    </Tag>
  )
}
