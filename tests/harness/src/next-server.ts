import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { freePort, hasExited, repoRoot, stopChild, waitFor, WaitAborted } from '@durable-delivery/toolchain'
import { errorMessage } from '@durable-delivery/common'

export type Site = 'menu' | 'driver'

export interface NextServer {
  url: string
  process: ChildProcess
  output(): string
  stop(): Promise<void>
}

/** The directory of a site's workspace (its production build is in `.next`, made by turbo's build). */
export function siteDir(site: Site): string {
  return join(repoRoot(), 'apps', site)
}

/**
 * `next start` of a site's production build on a free port (or on `port`, to restart a site where
 * its pages already are), resolved once it answers HTTP.
 */
export async function startNextServer(
  site: Site,
  env: Record<string, string>,
  options: { port?: number } = {},
): Promise<NextServer> {
  const cwd = siteDir(site)
  // Next's own CLI script, resolved the way the site resolves its dependencies.
  const nextBin = createRequire(join(cwd, 'package.json')).resolve('next/dist/bin/next')
  const port = options.port ?? (await freePort())
  const child = spawn(process.execPath, [nextBin, 'start', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd,
    env: { ...process.env, ...env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    await stopChild(child)
  }
  try {
    await waitFor(
      `the ${site} site at ${url}`,
      async () => {
        if (hasExited(child))
          throw new WaitAborted(`next start exited (code ${child.exitCode}, signal ${child.signalCode})`)
        return (await fetch(url)).ok
      },
      60_000,
      200,
    )
  } catch (error) {
    await stop()
    throw new Error(`${errorMessage(error)}\n${output}`, { cause: error })
  }
  return { url, process: child, output: () => output, stop }
}
