import { createServer } from 'node:net'

/** A TCP port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

/**
 * Thrown by a `waitFor` check when waiting longer is pointless (the process being waited for
 * has exited): `waitFor` rethrows it at once instead of treating it as "not yet".
 */
export class WaitAborted extends Error {
  override name = 'WaitAborted'
}

/**
 * Polls `check` until it returns true, or throws after `timeoutMs` with `what` in the message.
 * A check that throws counts as "not yet", except when it throws WaitAborted.
 */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  intervalMs = 100,
) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const done = await Promise.resolve()
      .then(check)
      .catch((error: unknown) => {
        if (error instanceof WaitAborted) throw error
        return false
      })
    if (done) return
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
