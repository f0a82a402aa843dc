import { loadConfigOrExit } from '@durable-delivery/common/config'
import { siteProcessConfig, type Site } from './context'

/** A site's configuration, checked at server start: one line on stderr and exit 1 if it cannot run. */
export function checkSiteConfigOrExit(site: Site): void {
  loadConfigOrExit(() => siteProcessConfig(site))
}
