import { readFileSync } from 'node:fs'

/**
 * CPU time and memory of a process, from Linux's /proc: the bench compares the Temporal server,
 * the Worker and itself (load generator and in-process API) to say which one is the bottleneck.
 */
const TICKS_PER_SECOND = 100

/** User plus system CPU seconds the process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
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
