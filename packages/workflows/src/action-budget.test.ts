import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { historyFromJSON } from '@temporalio/common/lib/proto-utils'
import { describe, expect, it } from 'vitest'
import { historyFiles, historyText } from '../test/histories'
import { billedActions, billedActionsOfEvents, describeActions, type HistoryEventJSON } from './billed-actions'

/**
 * Each committed history's Temporal Cloud actions (billed-actions.ts) against its allowance in
 * action-budget.json, so that a workflow change that makes an order dearer fails here and is a
 * decision, not an accident: a new history needs its budget, a cheaper release lowers it. The
 * Queries a card sends are not in any history: `npm run bench -- --scenario cost` counts those.
 * A history with retried activities costs what its recorded failures made it cost.
 */
const budget = JSON.parse(readFileSync(join(import.meta.dirname, 'action-budget.json'), 'utf8')) as Record<
  string,
  number
>

const counted = historyFiles().map((file) => {
  const actions = billedActionsOfEvents((JSON.parse(historyText(file)) as { events: HistoryEventJSON[] }).events)
  return { file, actions, allowed: budget[file] }
})

describe('the Temporal Cloud actions of each committed history', () => {
  it('each history has a budget, and each budget a history', () => {
    expect(counted.length).toBeGreaterThan(0)
    expect(counted.map(({ file }) => file)).toEqual(Object.keys(budget).sort())
  })

  it.each(counted.map((entry) => [`${entry.file}: ${entry.actions.total} (${describeActions(entry.actions)})`, entry]))(
    '%s',
    (_name, { actions, allowed }) => {
      expect(allowed, 'no budget in action-budget.json').toBeTypeOf('number')
      expect(actions.total).toBeLessThanOrEqual(allowed!)
    },
  )

  it("prices a cart's restaurant step at 8 actions over the seed's rated order, no more", () => {
    // The restaurant's step (the send, acceptOrder and markReady, two timers, the Preparing and
    // Ready upserts and pushes) and the extra tip, less the prompt a rating before it skips.
    const total = (name: string) => counted.find((entry) => entry.file === name)!.actions.total
    expect(total('v2/cart-delivered-extra-tip.json')).toBeLessThanOrEqual(total('v1/rated.json') + 8)
  })

  it("spares the first task's upserts the start already made (patch start-search-attributes-once)", () => {
    // v1's order upserted the dish, the state and the customer one by one; the CLI's now upserts
    // them at once, and the API's, which gives all three at start, upserts none.
    const total = (name: string) => counted.find((entry) => entry.file === name)!.actions.total
    expect(total('v3/cli-rated.json')).toBe(total('v1/rated.json') - 2)
    expect(total('v3/api-rated.json')).toBe(total('v1/rated.json') - 3)
    expect(total('v3/api-cart-delivered-extra-tip.json')).toBe(total('v2/cart-delivered-extra-tip.json') - 3)
  })

  it('counts the same from the decoded history as from its JSON', () => {
    const { file, actions } = counted.find((entry) => entry.file.endsWith('/rated.json'))!
    expect(billedActions(historyFromJSON(JSON.parse(historyText(file))))).toEqual(actions)
  })
})

describe('the rules of Cloud that no committed history exercises yet', () => {
  const count = (events: HistoryEventJSON[]) => billedActionsOfEvents(events).total

  it('bills the markers of one workflow task once, and patch markers not at all', () => {
    const marker = (markerName: string, task: string): HistoryEventJSON => ({
      eventType: 'EVENT_TYPE_MARKER_RECORDED',
      markerRecordedEventAttributes: { markerName, workflowTaskCompletedEventId: task },
    })
    expect(count([marker('core_local_activity', '4'), marker('core_local_activity', '4')])).toBe(1)
    expect(count([marker('core_local_activity', '4'), marker('core_local_activity', '9')])).toBe(2)
    expect(count([marker('core_patch', '4')])).toBe(0)
  })

  it('does not bill an upsert of TemporalChangeVersion alone, and bills a child workflow twice', () => {
    const upsert = (...names: string[]): HistoryEventJSON => ({
      eventType: 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES',
      upsertWorkflowSearchAttributesEventAttributes: {
        searchAttributes: { indexedFields: Object.fromEntries(names.map((name) => [name, {}])) },
      },
    })
    expect(count([upsert('TemporalChangeVersion')])).toBe(0)
    expect(count([upsert('TemporalChangeVersion', 'OrderState')])).toBe(1)
    expect(count([{ eventType: 'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED' }])).toBe(2)
  })
})
