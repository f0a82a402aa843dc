import type { Client } from '@temporalio/client'
import { getProductById, totalCents, type OrderLine } from '@durable-delivery/common'
import { getStatusQuery } from '@durable-delivery/workflows/definitions'
import type { InnerContext } from '../context'
import type { DriverListRow } from './driver-list'

/**
 * A cart that went ahead without a dish still carries its lines as placed in the memo (the API
 * writes them at start, the workflow does not write them again). Once Ready, its memo's
 * `keptCents` (what the order now costs) says whether they still hold; when they do not, the
 * lines as settled come from one getStatus Query, kept for the process: after Ready they never
 * change again, so a shortage costs one Query per order per process, not one per read.
 */
const settled = new Map<string, { lines: OrderLine[]; tipCents: number }>()
/** Orders remembered; the oldest is forgotten first (a Ready order is collected within its pickup window). */
const KEEP = 1_000

/** The rows whose memo lines a shortage made stale, with their lines as the workflow settled them. */
export async function withSettledLines(
  ctx: InnerContext,
  client: Client,
  rows: DriverListRow[],
  keptCents: ReadonlyMap<string, number>,
): Promise<DriverListRow[]> {
  return Promise.all(
    rows.map(async (row) => {
      const kept = keptCents.get(row.orderId)
      if (!row.ok || !row.lines || kept === undefined || kept === totalCents(row.lines, { cents: row.tipCents ?? 0 }))
        return row
      let known = settled.get(row.orderId)
      if (!known) {
        try {
          const status = await client.connection.withDeadline(Date.now() + ctx.rpcTimeoutMs / 2, () =>
            client.workflow.getHandle(row.orderId).query(getStatusQuery),
          )
          if (!Array.isArray(status.lines)) return row
          known = { lines: status.lines, tipCents: status.tip?.cents ?? 0 }
          settled.set(row.orderId, known)
          if (settled.size > KEEP) settled.delete(settled.keys().next().value!)
        } catch {
          // No Worker to answer: the lines as placed, until it is back.
          return row
        }
      }
      return {
        ...row,
        lines: known.lines.map((line) => ({
          ...line,
          name: getProductById(line.productId)?.name ?? `Dish #${line.productId}`,
        })),
        tipCents: known.tipCents,
      }
    }),
  )
}
