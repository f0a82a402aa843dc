import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { siteDir, type Site } from './next-server'

/**
 * First-load JS of a page, as `next build` printed it before Next 16: the gzip size of the
 * JavaScript chunks `.next/build-manifest.json` lists for `/_app` plus that page (each chunk once).
 */
export function firstLoadJsBytes(site: Site, page = '/'): number {
  return buildFirstLoadJsBytes(siteDir(site), page)
}

/** The same count for the production build of any Next app (`appDir/.next`), e.g. the bench's floor. */
export function buildFirstLoadJsBytes(appDir: string, page = '/'): number {
  const dir = join(appDir, '.next')
  const manifest = JSON.parse(readFileSync(join(dir, 'build-manifest.json'), 'utf8')) as {
    pages: Record<string, string[]>
  }
  const chunks = new Set(
    [...(manifest.pages['/_app'] ?? []), ...(manifest.pages[page] ?? [])].filter((file) => file.endsWith('.js')),
  )
  let bytes = 0
  for (const chunk of chunks) bytes += gzipSync(readFileSync(join(dir, chunk)), { level: 9 }).length
  return bytes
}
