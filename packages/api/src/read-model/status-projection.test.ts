import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { historyFromJSON } from '@temporalio/common/lib/proto-utils'
import { temporal } from '@temporalio/proto'
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker'
import { eventNumber, StatusProjection } from './status-projection'

// Replay logs at WARN what the assertions below say better.
Runtime.install({
  logger: new DefaultLogger('ERROR'),
  telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
})

const workflowsDir = dirname(fileURLToPath(import.meta.resolve('@durable-delivery/workflows')))
const historiesDir = join(workflowsDir, '..', 'histories')
const EventType = temporal.api.enums.v1.EventType

/** Every committed history, v1 (the seed's order), v2 (carts) and v3 (one start upsert), by its path without `.json`. */
function committedHistories() {
  return readdirSync(historiesDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json') && file !== 'manifest.json')
    .sort()
    .map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(historiesDir, file), 'utf8'))),
    }))
}

/**
 * The real getStatus answer after every workflow task of every history: the replayer runs the
 * workflow code, and an interceptor asks its query handler at the end of each activation.
 */
async function replayedStatuses(histories: ReturnType<typeof committedHistories>) {
  const answers = new Map<string, Map<number, unknown>>()
  const results = Worker.runReplayHistories(
    {
      workflowsPath: join(workflowsDir, 'index.ts'),
      interceptors: { workflowModules: [join(import.meta.dirname, '..', '..', 'test', 'status-capture.ts')] },
      sinks: {
        capture: {
          status: {
            fn: (info, historyLength: number, status: string) => {
              const byTask = answers.get(info.workflowId) ?? new Map<number, unknown>()
              byTask.set(historyLength, JSON.parse(status))
              answers.set(info.workflowId, byTask)
            },
            callDuringReplay: true,
          },
        },
      },
    },
    histories,
  )
  for await (const result of results) if (result.error) throw result.error
  return answers
}

describe('the status projection', () => {
  it('answers what getStatus answers, after every workflow task of every committed history', async () => {
    const histories = committedHistories()
    expect(histories.some(({ workflowId }) => workflowId.startsWith('v1/'))).toBe(true)
    expect(histories.some(({ workflowId }) => workflowId.startsWith('v2/'))).toBe(true)
    expect(histories.some(({ workflowId }) => workflowId.startsWith('v3/'))).toBe(true)
    const answers = await replayedStatuses(histories)
    const mismatches: string[] = []
    const undecided: string[] = []
    let compared = 0
    for (const { workflowId, history } of histories) {
      const byTask = answers.get(workflowId)!
      const events = history.events ?? []
      const projection = new StatusProjection()
      // The status after each completed workflow task: what arrives after it is not seen yet.
      // (A completed task names the scheduled event it shares with its started one.)
      const completedTasks = new Set(
        events
          .filter((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
          .map((event) => eventNumber(event.workflowTaskCompletedEventAttributes?.scheduledEventId)),
      )
      const startedOfCompleted = new Set(
        events
          .filter(
            (event) =>
              event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED &&
              completedTasks.has(eventNumber(event.workflowTaskStartedEventAttributes?.scheduledEventId)),
          )
          .map((event) => eventNumber(event.eventId)),
      )
      let lastTask: number | undefined
      const compare = (final: boolean) => {
        if (lastTask === undefined) return
        // A task that brought the workflow nothing new makes no activation: the status is the one before.
        const expected = [...byTask].filter(([length]) => length <= lastTask!).at(-1)?.[1]
        if (expected === undefined) {
          mismatches.push(`${workflowId} after task ${lastTask}: the replay gave no status`)
          return
        }
        compared++
        const projected = projection.value()
        if (projected === undefined) {
          // Not derivable is allowed mid-story (the watcher then asks the Query), never at the end.
          undecided.push(`${workflowId} after task ${lastTask}: ${projection.cannot ?? 'undecided'}`)
          if (final) mismatches.push(`${workflowId}: no final status (${projection.cannot})`)
          return
        }
        const actual = JSON.parse(JSON.stringify(projected)) as unknown
        try {
          expect(actual).toEqual(expected)
        } catch {
          mismatches.push(
            `${workflowId} after task ${lastTask}:\n  projected ${JSON.stringify(actual)}\n  getStatus ${JSON.stringify(expected)}`,
          )
        }
      }
      for (const event of events) {
        const id = eventNumber(event.eventId)
        if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED && startedOfCompleted.has(id)) {
          compare(false)
          lastTask = id
        }
        projection.apply([event])
      }
      compare(true)
    }
    expect(mismatches).toEqual([])
    // Every workflow task of every history was compared.
    expect(compared).toBeGreaterThan(histories.length * 5)
    // Mid-story gaps are few: each is a Query the watcher still sends.
    expect(undecided).toEqual([])
  })
})
