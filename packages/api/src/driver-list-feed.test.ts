import { afterEach, describe, expect, it, vi } from 'vitest'
import { DriverListFeed } from './driver-list-feed'

/** The feed with a list the test changes by hand, read every 5 ms. */
function feedOver(initial: string) {
  let list = initial
  let reads = 0
  const feed = new DriverListFeed(5)
  const read = () => {
    reads += 1
    if (list === 'down') return Promise.reject(new Error('Temporal unreachable'))
    return Promise.resolve(list)
  }
  return { feed, read, set: (next: string) => (list = next), reads: () => reads }
}

// Fake timers that also follow the clock: the feed runs as usual, and the test can make time pass at once.
afterEach(() => vi.useRealTimers())

describe('the driver list feed', () => {
  it('gives each portal the current version at once, then one per change, unavailability included, and stops reading when the last leaves', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const { feed, read, set, reads } = feedOver('a')
    const first = new AbortController()
    const second = new AbortController()
    const one = feed.changes(read, first.signal)
    const two = feed.changes(read, second.signal)
    expect((await one.next()).value).toBe(0)
    expect((await two.next()).value).toBe(0)

    set('b')
    expect((await one.next()).value).toBe(1)
    expect((await two.next()).value).toBe(1)
    set('down')
    expect((await one.next()).value).toBe(2)
    set('b')
    expect((await one.next()).value).toBe(3)

    first.abort()
    second.abort()
    await Promise.all([one.return(undefined), two.return(undefined)])
    const after = reads()
    // Nobody listens: ten beats later, no read has been made (at most the one already under way).
    await vi.advanceTimersByTimeAsync(50)
    expect(reads()).toBeLessThanOrEqual(after + 1)
  })
})
