import { createServer, type Server } from 'node:http'
import type { State } from '@temporalio/worker'

export interface HealthServer {
  server: Server
  port: number
  close(): Promise<void>
}

/**
 * `GET /healthz`: 200 while the Worker is polling its task queue (state RUNNING), 503 otherwise
 * (starting, draining on shutdown, stopped, failed), with the state in a small JSON body. Probes
 * and operators read the status code; people read the body.
 */
export function startHealthServer(
  port: number,
  state: () => State | 'STARTING',
  details: Record<string, string>,
): Promise<HealthServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    if (request.method !== 'GET' || path !== '/healthz') {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'not found: try GET /healthz' }))
      return
    }
    const current = state()
    const polling = current === 'RUNNING'
    response
      .writeHead(polling ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify({ polling, state: current, ...details }))
  })
  return new Promise((resolve, reject) => {
    server.once('error', (error) =>
      reject(new Error(`Cannot serve the health endpoint on port ${port}: ${error.message}`)),
    )
    server.listen(port, '0.0.0.0', () => {
      const address = server.address()
      resolve({
        server,
        port: typeof address === 'object' && address ? address.port : port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            // Keep-alive connections from a prober would otherwise hold the process open.
            server.closeAllConnections()
          }),
      })
    })
  })
}
