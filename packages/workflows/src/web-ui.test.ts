import { describe, expect, it } from 'vitest'
import { notificationSummary, shortDuration } from './web-ui'

describe('Web UI wording', () => {
  it.each([
    [500, '500ms'],
    [1500, '1500ms'],
    [30_000, '30s'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [5_400_000, '1h30m'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(shortDuration(ms)).toBe(text)
  })

  it('keeps a notification summary on one short line', () => {
    expect(notificationSummary('🚗 Order picked up')).toBe('notify: 🚗 Order picked up')
    const long = notificationSummary(`two\nlines ${'x'.repeat(200)}`)
    expect(long).toMatch(/^notify: two lines x+…$/)
    expect(long.length).toBe('notify: '.length + 80)
  })
})
