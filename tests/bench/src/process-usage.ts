import { readdirSync, readFileSync } from 'node:fs'

/**
 * CPU time and memory of a process, from Linux's /proc: the bench compares the Temporal server,
 * the Worker and itself (load generator and in-process API) to say which one is the bottleneck.
 */
const TICKS_PER_SECOND = 100

/** The fields of /proc/<pid>/stat after the command name, which (field 2) may hold spaces. */
function statFields(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
}

/** User plus system CPU seconds the process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = statFields(pid)
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
}

/**
 * CPU seconds of a process and all its descendants, the live ones and those already waited for
 * (cutime and cstime, fields 16 and 17): PostgreSQL's backends and `next start`'s server are
 * children of the process we started, and a backend that exits hands its time to its parent.
 */
function treeCpuSeconds(root: number): number {
  const children = new Map<number, number[]>()
  const ticks = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let fields: string[]
    try {
      fields = statFields(entry)
    } catch {
      continue // exited while we read the list
    }
    const pid = Number(entry)
    const parent = Number(fields[1])
    children.set(parent, [...(children.get(parent) ?? []), pid])
    ticks.set(pid, Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]))
  }
  let total = 0
  const pending = [root]
  while (pending.length > 0) {
    const pid = pending.pop()!
    total += ticks.get(pid) ?? 0
    pending.push(...(children.get(pid) ?? []))
  }
  return total / TICKS_PER_SECOND
}

export interface WatchedProcess {
  pid: number
  /** Count its descendants too (a database's backends, a server's worker processes). */
  tree?: boolean
}

export interface CpuUsage {
  /** Wall seconds between the two readings. */
  seconds: number
  /** CPU seconds each process (or tree) used between them. */
  used: Record<string, number>
}

/** Reads /proc/<pid>/stat of each process before and after: CPU time used, not just a share. */
export function watchCpuTime(processes: Record<string, WatchedProcess>): { stop(): CpuUsage } {
  const read = ({ pid, tree }: WatchedProcess) => (tree ? treeCpuSeconds(pid) : cpuSeconds(pid))
  const started = performance.now()
  const before = Object.fromEntries(Object.entries(processes).map(([name, each]) => [name, read(each)]))
  return {
    stop() {
      const seconds = (performance.now() - started) / 1000
      const used = Object.fromEntries(
        Object.entries(processes).map(([name, each]) => [name, read(each) - before[name]!]),
      )
      return { seconds, used }
    },
  }
}

/** Resident set size in bytes. */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) * 1024 : NaN
}

/** Starts counting CPU seconds for named processes; `stop` returns each one's share of one core (1 = a full core). */
export function watchCpu(pids: Record<string, number>): { stop(): Record<string, number> } {
  const started = performance.now()
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]))
  return {
    stop() {
      const seconds = (performance.now() - started) / 1000
      return Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => [name, round((cpuSeconds(pid) - before[name]!) / seconds, 2)]),
      )
    },
  }
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}
