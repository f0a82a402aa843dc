import type { AriaRole, ReactNode } from 'react'
import type { OrderState } from '@durable-delivery/common'

/** An order's state as a coloured pill (`badge badge-picked-up`), the same on both sites. */
export function StateBadge({ state, role, children }: { state?: OrderState; role?: AriaRole; children?: ReactNode }) {
  const className = state ? `badge badge-${state.toLowerCase().replace(' ', '-')}` : 'badge'
  return (
    <span className={className} role={role}>
      {children ?? state}
    </span>
  )
}
