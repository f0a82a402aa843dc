import type { AddressInfo } from 'node:net'
import { createHTTPServer } from '@trpc/server/adapters/standalone'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadTemporalConfig } from '@durable-delivery/common/config'
import { fixedIdentity } from './auth/identity'
import { createInnerContext } from './context'
import { appRouter } from './root'
import { connectTemporalClient } from './temporal-client'

/**
 * What a page or a script receives when the configuration is wrong or Temporal is out of reach:
 * over real HTTP, through the real error formatter, for any values in the Temporal variables.
 * The answer says what happened; the values (addresses, keys, certificates) stay in the log.
 */
let env: Record<string, string> = {}
let url: string
let close: () => void

beforeAll(async () => {
  const server = createHTTPServer({
    router: appRouter,
    // As the sites do: the configuration is read for the request, and the client made from it.
    createContext: () =>
      createInnerContext({
        client: () => connectTemporalClient(loadTemporalConfig(env)),
        identity: fixedIdentity({ customerId: 'c_error-answers-customer', driverId: 'ana' }),
        rpcTimeoutMs: 2_000,
      }),
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  close = () => server.close()
})

afterAll(() => close?.())

describe('error answers', () => {
  it('never echo a configuration value or an address, valid or not', async () => {
    const text = fc.string({ minLength: 8, maxLength: 60 }).filter((value) => value.trim().length >= 8)
    const values = fc.record({
      // Unreachable but valid (nothing listens on port 9) or plain invalid.
      TEMPORAL_ADDRESS: fc.oneof(fc.constantFrom('127.0.0.1:9', '10.255.255.1:7233'), text),
      TEMPORAL_NAMESPACE: text,
      TEMPORAL_API_KEY: text,
      TEMPORAL_TLS_KEY: text,
      TEMPORAL_UI_URL: fc.oneof(fc.constant('https://temporal.internal.example:8233'), text),
    })
    await fc.assert(
      fc.asyncProperty(
        values,
        fc.constantFrom('TEMPORAL_API_KEY', 'TEMPORAL_TLS_KEY', 'none'),
        async (chosen, keep) => {
          // One credential at a time (both set is itself a configuration error, tested too).
          env = Object.fromEntries(
            Object.entries(chosen).filter(
              ([name]) => (!name.startsWith('TEMPORAL_TLS') && !name.startsWith('TEMPORAL_API')) || name === keep,
            ),
          )
          const input = encodeURIComponent(JSON.stringify({ section: 'ready' }))
          const answer = await (await fetch(`${url}/driverList.listSection?input=${input}`)).text()
          expect(answer).toMatch(/INTERNAL_SERVER_ERROR|SERVICE_UNAVAILABLE/)
          for (const value of Object.values(env)) expect(answer).not.toContain(value.trim())
        },
      ),
      { numRuns: 25 },
    )
  }, 120_000)
})
