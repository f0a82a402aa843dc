import { createServer, type AddressInfo } from 'node:net'
import type { Logger } from '@temporalio/worker'

/** Listens on `port` (all interfaces, as the metrics exporter and the health endpoint do), then lets go. */
async function tryListen(port: number): Promise<number | undefined> {
  const server = createServer()
  const listening = await new Promise<boolean>((resolve) => {
    server.once('listening', () => resolve(true))
    server.once('error', () => resolve(false))
    server.listen(port, '0.0.0.0')
  })
  if (!listening) return undefined
  const bound = (server.address() as AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return bound
}

/**
 * The port a side server (metrics, health) will use. Development (`mayMove`): a port another
 * process holds, such as a second Worker left running, moves to a free one with a warning, since
 * a dev Worker that refuses to start leaves every order stuck in `Charging card`. Production
 * keeps the configured port and lets startup fail loudly on it.
 */
export async function sidePort(
  what: string,
  port: number | undefined,
  mayMove: boolean,
  logger: Logger,
): Promise<number | undefined> {
  if (port === undefined || !mayMove || (await tryListen(port)) !== undefined) return port
  const moved = await tryListen(0)
  logger.warn(`Port ${port} for ${what} is taken by another process; serving ${what} on port ${moved} instead`)
  return moved
}
