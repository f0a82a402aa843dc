import { describe, expect, it } from 'vitest'
import { SharedRead } from './shared-read'

/** A clock the test moves, and reads that take the time the test says. */
function setup() {
  let now = 0
  let reads = 0
  const shared = new SharedRead<number>({ freshMs: 1_000, staleMs: 10_000, maxKeys: 10, readCostFactor: 4 }, () => now)
  const read = (takesMs: number) => () => {
    reads += 1
    now += takesMs
    return Promise.resolve(reads)
  }
  return {
    shared,
    read,
    advance: (ms: number) => (now += ms),
    reads: () => reads,
  }
}

describe('SharedRead', () => {
  it('serves a quick read for a second, then the old value while one refresh runs behind it', async () => {
    const { shared, read, advance, reads } = setup()
    expect(await shared.get('k', read(10))).toBe(1)
    advance(900)
    expect(await shared.get('k', read(10))).toBe(1) // fresh: no read
    expect(reads()).toBe(1)
    advance(200)
    expect(await shared.get('k', read(10))).toBe(1) // stale: served, refreshed behind
    expect(reads()).toBe(2)
    await new Promise((settled) => setImmediate(settled)) // the refresh lands
    expect(await shared.get('k', read(10))).toBe(2)
  })

  it.each([
    ['four times as long as it took', 800, 3_200],
    ['at most half the stale window', 3_000, 5_000],
  ])('keeps a slow read fresh %s', async (_, takesMs, freshMs) => {
    const { shared, read, advance, reads } = setup()
    await shared.get('k', read(takesMs))
    advance(freshMs - 100)
    await shared.get('k', read(takesMs))
    expect(reads()).toBe(1) // still fresh
    advance(200)
    await shared.get('k', read(takesMs))
    expect(reads()).toBe(2) // stale: refreshed behind
  })

  it('keeps no failure: the next reader reads again', async () => {
    const { shared, read, reads } = setup()
    await expect(shared.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down')
    expect(await shared.get('k', read(10))).toBe(1)
    expect(reads()).toBe(1)
  })
})
