import { join } from 'node:path'
import type { NextConfig } from 'next'

const root = join(import.meta.dirname, '..', '..', '..')

/**
 * The weight scenario's floor (tests/bench/src/weight-scenario.ts builds it): a Next 16 pages-router
 * site with the sites' own settings that touch the browser bundle, and nothing of ours.
 */
const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  turbopack: { root },
  outputFileTracingRoot: root,
  // As packages/api/src/next-config.ts chunks the sites' first load.
  experimental: { turbopackChunking: { minChunkSize: 200_000 } },
  // `npm run typecheck` checks these pages; the benchmark's build need not again.
  typescript: { ignoreBuildErrors: true },
}

export default config
