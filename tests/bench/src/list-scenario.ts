import { getStatusQuery, ORDER_WORKFLOW_TYPE } from '@durable-delivery/workflows/definitions'
import { DRIVER_LIST_PAGE_SIZE } from '@durable-delivery/api'
import type { BreakableStack } from '@durable-delivery/resilience/breakable-stack'
import { summarise, timed, type LatencySummary } from '@durable-delivery/resilience/stats'
import { openOrders } from './open-orders'
import { report } from './results'
import { round } from './process-usage'

export interface ListLevel {
  openOrders: number
  /**
   * The first call after the orders were opened: nothing fresh is cached, so it waits for the
   * process's read of the whole section (SQL visibility has no ORDER BY). Every later call is
   * served from that shared read while it refreshes behind.
   */
  coldRead: number
  /** Calls that answered "did not answer in time" before the cold read landed (each waits its 5 s deadline). */
  coldReadTimeouts: number
  /** `driverList.listSection` ready for pickup, the driver portal's call: DRIVER_LIST_PAGE_SIZE rows, oldest first. */
  firstPage: LatencySummary
  /** Every page of the section, cursor after cursor, DRIVER_LIST_PAGE_SIZE rows each. */
  fullPaging: LatencySummary & { rows: number }
  /** The original sample's way: the same page listed, then one getStatus Query per order, all at once. */
  queryPerOrder: LatencySummary
  /** Query-per-order lists that failed (a Query timed out waiting for the Worker): their time is still counted. */
  queryPerOrderFailures: number
  /** How many times faster per row our first page is than the Query-per-order way (p50). */
  speedupPerRow: number
}

export interface ListResult {
  rowsPerPage: number
  levels: ListLevel[]
}

/** Driver list latency at rising numbers of open orders, ours beside the Query-per-order way, in the same run. */
export async function listScenario(stack: BreakableStack, sizes: number[], samples: number): Promise<ListResult> {
  const { client, api } = stack
  const query = `WorkflowType = '${ORDER_WORKFLOW_TYPE}'`
  const levels: ListLevel[] = []
  let open = 0
  for (const size of [...sizes].sort((a, b) => a - b)) {
    await openOrders(client, size - open)
    open = size
    const firstPage: number[] = []
    const naive: number[] = []
    const paging: number[] = []
    let rows = 0
    let failures = 0
    // The read goes on behind a call that stopped waiting: the portal's next call gets it.
    const coldStarted = performance.now()
    let coldReadTimeouts = 0
    while (
      !(await api.driverList.listSection({ section: 'ready' }).then(
        () => true,
        () => false,
      ))
    ) {
      coldReadTimeouts += 1
      if (performance.now() - coldStarted > 120_000) throw new Error(`The ready section did not load at ${size} open`)
    }
    const coldRead = performance.now() - coldStarted
    for (let sample = 0; sample < samples; sample++) {
      // Interleaved, so that both ways see the same server and the same cache.
      await timed(firstPage, () => api.driverList.listSection({ section: 'ready' }))
      await timed(naive, async () => {
        const page = await firstListPage(stack, query)
        await Promise.all(page.map((id) => client.workflow.getHandle(id).query(getStatusQuery))).catch(() => {
          failures += 1
        })
      })
    }
    // Paging through everything is heavier: fewer samples at large sizes keep the run short.
    const pagingSamples = Math.max(3, Math.min(samples, Math.round((samples * 1000) / size)))
    for (let sample = 0; sample < pagingSamples; sample++) {
      await timed(paging, async () => {
        rows = 0
        let cursor: string | undefined
        do {
          const page = await api.driverList.listSection({ section: 'ready', cursor })
          rows += page.rows.length
          cursor = page.nextCursor
        } while (cursor)
      })
    }
    const level: ListLevel = {
      openOrders: size,
      coldRead: round(coldRead),
      coldReadTimeouts,
      firstPage: summarise(firstPage),
      fullPaging: { ...summarise(paging), rows },
      queryPerOrder: summarise(naive),
      queryPerOrderFailures: failures,
      speedupPerRow: 0,
    }
    level.speedupPerRow = round(level.queryPerOrder.p50 / level.firstPage.p50)
    levels.push(level)
    console.log(
      `  ${size} open: cold read ${Math.round(level.coldRead)} ms (${coldReadTimeouts} timed out first), then first page p50 ${Math.round(level.firstPage.p50)} ms p99 ${Math.round(level.firstPage.p99)} ms; ` +
        `all ${rows} rows p50 ${Math.round(level.fullPaging.p50)} ms; ` +
        `Query per order p50 ${Math.round(level.queryPerOrder.p50)} ms p99 ${Math.round(level.queryPerOrder.p99)} ms (${level.speedupPerRow}x), ${failures} failed`,
    )
  }
  const result = { rowsPerPage: DRIVER_LIST_PAGE_SIZE, levels }
  const line = levels
    .map(
      (l) =>
        `${l.openOrders} open: first page p50 ${Math.round(l.firstPage.p50)} ms vs Query-per-order ${Math.round(l.queryPerOrder.p50)} ms (${l.speedupPerRow}x)`,
    )
    .join('; ')
  report('list', line, result)
  return result
}

/** The ids of the first visibility page, as the sample's list does before it queries each order. */
async function firstListPage(stack: BreakableStack, query: string): Promise<string[]> {
  const ids: string[] = []
  for await (const execution of stack.client.workflow.list({ query, pageSize: DRIVER_LIST_PAGE_SIZE })) {
    ids.push(execution.workflowId)
    if (ids.length >= DRIVER_LIST_PAGE_SIZE) break
  }
  return ids
}
