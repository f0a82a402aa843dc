import { connect, createServer, type AddressInfo, type Socket } from 'node:net'

export interface ForwardedPort {
  /** host:port to connect to instead of the target. */
  address: string
  /** Closes the port and cuts every connection through it, as a server going away would. */
  close(): Promise<void>
}

/**
 * A TCP listener on `port` (a free one by default) that passes every connection on to `target`
 * (host:port): a server that comes up at an address chosen in advance, or goes away for one test
 * file, while the real one is shared by the suite.
 */
export async function forwardPort(target: string, port = 0): Promise<ForwardedPort> {
  const [host, targetPort] = target.split(':')
  const sockets = new Set<Socket>()
  const server = createServer((incoming) => {
    const outgoing = connect(Number(targetPort), host)
    for (const socket of [incoming, outgoing]) {
      sockets.add(socket)
      socket.once('close', () => sockets.delete(socket))
    }
    incoming.on('error', () => outgoing.destroy())
    outgoing.on('error', () => incoming.destroy())
    incoming.pipe(outgoing).pipe(incoming)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        // close() waits for open connections to end: cut them.
        for (const socket of sockets) socket.destroy()
      }),
  }
}
