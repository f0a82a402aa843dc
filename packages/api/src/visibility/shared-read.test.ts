import { describe, expect, it } from 'vitest'
import { SharedRead } from './shared-read'

describe('the shared read', () => {
  it('serves a fresh value as it is, a stale one while refreshing, and nothing stale after a failed refresh', async () => {
    let now = 0
    const shared = new SharedRead<string>({ freshMs: 1_000, staleMs: 10_000, maxKeys: 10 }, () => now)
    let answer: () => Promise<string> = () => Promise.resolve('first')
    let reads = 0
    const read = () => {
      reads += 1
      return answer()
    }
    expect(await shared.get('k', read)).toBe('first')
    now = 500
    expect(await shared.get('k', read)).toBe('first')
    expect(reads).toBe(1) // fresh: no read

    now = 2_000
    answer = () => Promise.reject(new Error('visibility unavailable'))
    // Stale: served at once while the refresh runs behind it (and fails).
    expect(await shared.get('k', read)).toBe('first')
    await Promise.resolve()
    await Promise.resolve()
    // After the failed refresh, the next reader waits for a read of its own and hears the failure.
    await expect(shared.get('k', read)).rejects.toThrow('visibility unavailable')
    answer = () => Promise.resolve('second')
    expect(await shared.get('k', read)).toBe('second')
  })
})
