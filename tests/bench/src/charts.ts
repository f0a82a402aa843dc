import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from '@durable-delivery/test-harness'
import type { ListResult } from './list-scenario'
import { readReport } from './results'
import { lineChart } from './svg-chart'
import type { ThroughputResult } from './throughput-scenario'

/** Redraws docs/bench-*.svg from the last list and throughput results on this machine; returns the files written. */
export function writeCharts(): string[] {
  const written: string[] = []
  const list = readReport<ListResult>('list')
  if (list) {
    const points = (pick: (level: ListResult['levels'][number]) => number) =>
      list.levels.map((level): [number, number] => [level.openOrders, Math.round(pick(level))])
    written.push(
      write(
        'bench-list.svg',
        lineChart({
          title: `Driver list (${list.rowsPerPage} rows) vs open orders`,
          xLabel: 'open orders',
          yLabel: 'ms',
          logX: true,
          series: [
            { name: 'ours p50', color: '#1f77b4', points: points((l) => l.firstPage.p50) },
            { name: 'ours p99', color: '#aec7e8', points: points((l) => l.firstPage.p99) },
            { name: 'Query/order p50', color: '#d62728', points: points((l) => l.queryPerOrder.p50) },
            { name: 'Query/order p99', color: '#ff9896', points: points((l) => l.queryPerOrder.p99) },
          ],
        }),
      ),
    )
  }
  const throughput = readReport<ThroughputResult>('throughput')
  if (throughput) {
    const points = (levels: ThroughputResult['order']) => levels.map((l): [number, number] => [l.offered, l.achieved])
    written.push(
      write(
        'bench-throughput.svg',
        lineChart({
          title: 'Orders end to end per second vs offered rate',
          xLabel: 'orders offered per second (open loop)',
          logX: true,
          yLabel: 'orders/s',
          series: [
            { name: 'order (ours)', color: '#1f77b4', points: points(throughput.order) },
            { name: 'floor', color: '#7f7f7f', points: points(throughput.floor) },
          ],
        }),
      ),
    )
  }
  return written
}

function write(name: string, svg: string): string {
  const path = join(repoRoot(), 'docs', name)
  writeFileSync(path, svg)
  return path
}
