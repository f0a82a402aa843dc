import { historyToJSON, type History } from '@temporalio/common/lib/proto-utils'

/**
 * The Temporal Cloud actions a workflow's history was billed, counted by Cloud's published rules
 * (the "Temporal Cloud Actions" page of the Temporal documentation). Pure: it reads a history and
 * nothing else. What never reaches a history is the caller's to add: every Query, every rejected
 * Update (the server refuses it before anything is written), Activity heartbeats.
 */

/** One event of a history in its JSON form (`historyToJSON`, the committed files): only what the rules read. */
export interface HistoryEventJSON {
  eventType?: string
  activityTaskStartedEventAttributes?: { attempt?: number }
  markerRecordedEventAttributes?: { markerName?: string; workflowTaskCompletedEventId?: string }
  upsertWorkflowSearchAttributesEventAttributes?: { searchAttributes?: { indexedFields?: Record<string, unknown> } }
}

export type ActionKind =
  | 'start'
  | 'activity'
  | 'activity retry'
  | 'timer'
  | 'signal'
  | 'update'
  | 'search-attribute upsert'
  | 'child workflow'
  | 'local activities and side effects'
  | 'nexus operation'
  | 'execution options'

export interface BilledActions {
  total: number
  /** Actions by kind, every kind present (0 when none), in the table's order. */
  byKind: Record<ActionKind, number>
  /** Memo changes (WorkflowPropertiesModified): not billed by Cloud's list, shown so that a change of the page is visible. */
  memoChanges: number
}

/** The version marker the SDKs write for `patched()` and its search attribute: neither is an action. */
export const PATCH_MARKERS: ReadonlySet<string> = new Set(['core_patch', 'Version'])
export const CHANGE_VERSION_ATTRIBUTE = 'TemporalChangeVersion'

interface Rule {
  kind: ActionKind
  /** Actions this event was billed; `tasksWithMarkers` collects the workflow tasks whose markers count once. */
  actions: (event: HistoryEventJSON, tasksWithMarkers: Set<string>) => number
}

const one = () => 1

/**
 * The rules, one per event type, each with the sentence of Cloud's page it applies. An event type
 * not listed costs nothing (workflow tasks, completions, timer fired, Update completed, ...).
 */
const RULES: Record<string, Rule> = {
  // "Workflow started": client start, Continue-As-New (counted in the new run), Child Workflow start.
  EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: { kind: 'start', actions: one },
  // "Activity started or retried": the first attempt, when the Activity is scheduled.
  EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: { kind: 'activity', actions: one },
  // "... or retried": retries write no events of their own; the server records the last attempt's
  // Started event only, and its `attempt` says how many ran (completion and failure events carry no
  // number). An activity still retrying when the history is read shows only its first attempt.
  EVENT_TYPE_ACTIVITY_TASK_STARTED: {
    kind: 'activity retry',
    actions: (event) => Math.max(0, (event.activityTaskStartedEventAttributes?.attempt ?? 1) - 1),
  },
  // "Timer started": explicit timers and the implicit ones of `condition(fn, timeout)`.
  EVENT_TYPE_TIMER_STARTED: { kind: 'timer', actions: one },
  // "Signal sent": one per Signal, from a Client (received here) or from a Workflow (sent from here).
  EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: { kind: 'signal', actions: one },
  EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED: { kind: 'signal', actions: one },
  // "Update received by Worker": every accepted Update (a rejected one never reaches the history).
  EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: { kind: 'update', actions: one },
  // "Search Attribute upsert requested": one per UpsertSearchAttributes command however many it
  // sets; those given at start are free, and so is TemporalChangeVersion alone (versioning).
  EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
    kind: 'search-attribute upsert',
    actions: (event) => {
      const fields = Object.keys(
        event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {},
      )
      return fields.length > 0 && fields.every((name) => name === CHANGE_VERSION_ATTRIBUTE) ? 0 : 1
    },
  },
  // "Start Child Workflow and Child Workflow Execution": two, the start and the attempted execution
  // (the child's own history counts its start again: count a parent and its children by the parent).
  EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED: { kind: 'child workflow', actions: () => 2 },
  // "Local Activity started" and "Side Effect recorded": all the markers of one workflow task are
  // one action; patch markers are versioning, not actions. (The TS SDK has no Side Effects.)
  EVENT_TYPE_MARKER_RECORDED: {
    kind: 'local activities and side effects',
    actions: (event, tasksWithMarkers) => {
      const marker = event.markerRecordedEventAttributes
      if (PATCH_MARKERS.has(marker?.markerName ?? '')) return 0
      const task = marker?.workflowTaskCompletedEventId ?? ''
      if (tasksWithMarkers.has(task)) return 0
      tasksWithMarkers.add(task)
      return 1
    },
  },
  // "Nexus Operation scheduled" and "canceled": one each on the caller's namespace.
  EVENT_TYPE_NEXUS_OPERATION_SCHEDULED: { kind: 'nexus operation', actions: one },
  EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED: { kind: 'nexus operation', actions: one },
  // "Workflow Execution Options updated": one per event.
  EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED: { kind: 'execution options', actions: one },
}

/**
 * Memo changes are not in Cloud's list: they are neither a search-attribute upsert nor an update
 * of execution options (`memoChanges` counts them, so that the figure is there if that changes).
 */
const MEMO_CHANGED = 'EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED'

const KINDS: ActionKind[] = [...new Set(Object.values(RULES).map((rule) => rule.kind))]

/** Counts the actions of a history's events in their JSON form (`{ events }` as committed, or the list). */
export function billedActionsOfEvents(events: readonly HistoryEventJSON[]): BilledActions {
  const byKind = Object.fromEntries(KINDS.map((kind) => [kind, 0])) as Record<ActionKind, number>
  const tasksWithMarkers = new Set<string>()
  let memoChanges = 0
  for (const event of events) {
    if (event.eventType === MEMO_CHANGED) memoChanges += 1
    const rule = RULES[event.eventType ?? '']
    if (rule) byKind[rule.kind] += rule.actions(event, tasksWithMarkers)
  }
  return { total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind, memoChanges }
}

/** Counts the actions of a history as the SDK holds it (`handle.fetchHistory()`, `historyFromJSON`). */
export function billedActions(history: History): BilledActions {
  // The JSON form names event types; the decoded one numbers them.
  const { events } = JSON.parse(historyToJSON(history)) as { events?: HistoryEventJSON[] }
  return billedActionsOfEvents(events ?? [])
}

/** "3 activities + 1 timer ...": where a count goes, kinds with none left out. */
export function describeActions({ byKind, memoChanges }: BilledActions): string {
  const billed = Object.entries(byKind)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(' + ')
  return memoChanges > 0 ? `${billed} (memo changes, not billed: ${memoChanges})` : billed
}
