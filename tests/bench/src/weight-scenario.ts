import { firstLoadJsBytes } from '@durable-delivery/test-harness'
import { round } from './process-usage'
import { report } from './results'

export interface WeightResult {
  /** First-load JS of each site's page, gzip KiB. */
  menu: number
  driver: number
}

/** First-load JS per page, counted as `npm run weights` does, from the production builds. */
export function weightScenario(): WeightResult {
  const kib = (site: 'menu' | 'driver') => round(firstLoadJsBytes(site) / 1024)
  const result = { menu: kib('menu'), driver: kib('driver') }
  report('weight', `first-load JS gzip: menu ${result.menu} KiB, driver ${result.driver} KiB`, result)
  return result
}
