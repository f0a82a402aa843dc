import type { AddressInfo } from 'node:net'
import { appRouter, type InnerContext } from '@durable-delivery/api'
import { createHTTPServer } from '@trpc/server/adapters/standalone'
import type { HttpApi } from '@durable-delivery/test-harness'

/**
 * The API over real HTTP, as a browser reaches it: tRPC's standalone Node adapter serving the
 * same router the sites serve, so malformed input meets the real request parsing and the real
 * HTTP status mapping (400, 404, 405, 409, 412, ...). Call it with the harness's `callApi`.
 */
export async function startHttpApi(ctx: InnerContext): Promise<HttpApi> {
  const server = createHTTPServer({ router: appRouter, createContext: () => ctx })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  }
}
