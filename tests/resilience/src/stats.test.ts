import { describe, expect, it } from 'vitest'
import { summarise } from './stats'

describe('summarise', () => {
  it('gives nearest-rank percentiles that are measured values', () => {
    const samples = Array.from({ length: 200 }, (_, index) => index + 1)
    expect(summarise(samples)).toEqual({ count: 200, p50: 100, p99: 198, max: 200 })
    expect(summarise([7])).toEqual({ count: 1, p50: 7, p99: 7, max: 7 })
  })
})
