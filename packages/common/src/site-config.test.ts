import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadSiteConfig, loadTemporalConfig, SECRET_VARIABLES } from './config'

const SECRET = 'x'.repeat(40)
const HASH = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g'

function messageOf(load: () => unknown): string {
  try {
    load()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('expected a ConfigError')
}

describe('the sites: sign-in and access', () => {
  it('in development need nothing: a generated secret, a demo driver, operator links on, limits on', () => {
    expect(loadSiteConfig('driver', {})).toEqual({
      production: false,
      driverAccounts: [],
      operatorLinks: true,
      rateLimits: true,
      liveLongPolls: 200,
    })
    expect(loadSiteConfig('menu', { LIVE_LONG_POLLS: '0' }).liveLongPolls).toBe(0)
  })

  it('in production refuse to start without SESSION_SECRET (both) and DRIVER_ACCOUNTS (the portal), naming the variable', () => {
    const production = { NODE_ENV: 'production' }
    expect(messageOf(() => loadSiteConfig('menu', production))).toMatch(/^SESSION_SECRET: must be set in production/)
    expect(messageOf(() => loadSiteConfig('driver', { ...production, SESSION_SECRET: SECRET }))).toMatch(
      /^DRIVER_ACCOUNTS: must be set in production/,
    )
    expect(loadSiteConfig('menu', { ...production, SESSION_SECRET: SECRET })).toMatchObject({
      production: true,
      operatorLinks: false,
    })
    expect(
      loadSiteConfig('driver', { ...production, SESSION_SECRET: SECRET, DRIVER_ACCOUNTS: `ana=${HASH}, ben=${HASH}` }),
    ).toMatchObject({ driverAccounts: [{ driverId: 'ana' }, { driverId: 'ben' }] })
  })

  it.each([
    [
      'a short secret',
      { SESSION_SECRET: 'short' },
      /^SESSION_SECRET: expected at least 32 characters \(openssl rand -base64 32\)$/,
    ],
    ['an account without a hash', { DRIVER_ACCOUNTS: 'ana' }, /^DRIVER_ACCOUNTS: entry 1: expected id=scrypt/],
    ['a bad driver id', { DRIVER_ACCOUNTS: `Ana Smith=${HASH}` }, /^DRIVER_ACCOUNTS: entry 1: the id must be/],
    [
      'a driver twice',
      { DRIVER_ACCOUNTS: `ana=${HASH},ana=${HASH}` },
      /^DRIVER_ACCOUNTS: entry 2: the same id as an earlier entry$/,
    ],
    [
      'operator links neither on nor off',
      { OPERATOR_LINKS: 'yes' },
      /^OPERATOR_LINKS: expected "on" or "off" \(got "yes"\)$/,
    ],
    [
      'a long-poll budget that is not a whole number',
      { LIVE_LONG_POLLS: 'many' },
      /^LIVE_LONG_POLLS: expected a whole number/,
    ],
  ])('refuse %s with one line naming the variable', (_, env, expected) => {
    expect(messageOf(() => loadSiteConfig('driver', env))).toMatch(expected)
  })

  it('never repeat a secret variable in an error, whatever was pasted into it', () => {
    // Anything at all in a secret variable: the message may name the variable, never its value.
    // Passwords and ids look like words: half the cases are lowercase words, which pass as driver ids.
    const word = fc.stringMatching(/^[a-z0-9]{6,20}$/)
    const pasted = fc
      .oneof(word, fc.string({ minLength: 6, maxLength: 80 }))
      .filter((value) => value.trim().length >= 6)
    fc.assert(
      fc.property(fc.constantFrom(...SECRET_VARIABLES), pasted, (name, value) => {
        const env = { NODE_ENV: 'production', SESSION_SECRET: SECRET, DRIVER_ACCOUNTS: `ana=${HASH}`, [name]: value }
        for (const load of [() => loadSiteConfig('driver', env), () => loadTemporalConfig(env)]) {
          try {
            load()
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError)
            expect((error as Error).message).not.toContain(value.trim())
          }
        }
      }),
      { numRuns: 300 },
    )
  })
})
