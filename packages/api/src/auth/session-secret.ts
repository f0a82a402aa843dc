import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { SiteConfig } from '@durable-delivery/common/config'

/** Where development keeps its generated secret (git-ignored), next to the site's other local data. */
const DEV_SECRET_FILE = '.data/session-secret'

/**
 * The secret that signs session cookies. Production has SESSION_SECRET (the config refuses to
 * start without it). Development generates one on first use and keeps it on disk, so a restarted
 * `npm run dev` still knows its customers, and no secret is ever a constant in the code.
 */
export function sessionSecret(config: SiteConfig, file = resolve(DEV_SECRET_FILE)): string {
  if (config.sessionSecret !== undefined) return config.sessionSecret
  // The file is read at run time, not part of the build: without the comment Turbopack traces
  // the whole project into the site's server output.
  try {
    return readFileSync(/* turbopackIgnore: true */ file, 'utf8').trim()
  } catch {
    mkdirSync(dirname(file), { recursive: true })
    try {
      // 'wx': of two processes starting at once, one writes and both read the same secret.
      writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    return readFileSync(/* turbopackIgnore: true */ file, 'utf8').trim()
  }
}
