import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { buildFirstLoadJsBytes, firstLoadJsBytes } from '@durable-delivery/test-harness'
import { round } from './process-usage'
import { report } from './results'

/** A Next 16 pages-router site of two pages: bare (`/`), and the required client libraries alone (`/client`). */
const FLOOR_DIR = join(import.meta.dirname, '..', 'weight-floor')

/** The original sample's page, counted the same way (issue 19): the figure each site must not exceed. */
const ORIGINAL_SAMPLE_KIB = 129.2

export interface WeightResult {
  /** First-load JS of each site's page, gzip KiB. */
  menu: number
  driver: number
  /** The original sample's page (a published figure, not rebuilt here), and whether each site is within it. */
  target: { 'original sample': number; menu: boolean; driver: boolean }
  /** The floor, built and counted in the same run the same way. */
  floor: {
    /** A page with neither React Query nor tRPC. */
    'bare Next': number
    /** QueryClientProvider, one useQuery, one useMutation, createTRPCClient with the sites' three links. */
    'Next + required client libs': number
  }
}

/** Builds the floor site (`next build`, as turbo builds the sites). */
function buildFloor(): void {
  const nextBin = createRequire(join(FLOOR_DIR, 'package.json')).resolve('next/dist/bin/next')
  const build = spawnSync(process.execPath, [nextBin, 'build'], {
    cwd: FLOOR_DIR,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  })
  if (build.status !== 0) throw new Error(`next build of the weight floor failed:\n${build.stdout}${build.stderr}`)
}

/** First-load JS per page, counted as `npm run weights` does, from the production builds, beside the floor. */
export function weightScenario(): WeightResult {
  buildFloor()
  const kib = (bytes: number) => round(bytes / 1024)
  const floor = {
    'bare Next': kib(buildFirstLoadJsBytes(FLOOR_DIR, '/')),
    'Next + required client libs': kib(buildFirstLoadJsBytes(FLOOR_DIR, '/client')),
  }
  const menu = kib(firstLoadJsBytes('menu'))
  const driver = kib(firstLoadJsBytes('driver'))
  const target = {
    'original sample': ORIGINAL_SAMPLE_KIB,
    menu: menu <= ORIGINAL_SAMPLE_KIB,
    driver: driver <= ORIGINAL_SAMPLE_KIB,
  }
  const result = { menu, driver, target, floor }
  report(
    'weight',
    `first-load JS gzip: menu ${menu} KiB, driver ${driver} KiB (original sample ${ORIGINAL_SAMPLE_KIB}); ` +
      `bare Next ${floor['bare Next']} KiB, Next + required client libs ${floor['Next + required client libs']} KiB`,
    result,
  )
  return result
}
