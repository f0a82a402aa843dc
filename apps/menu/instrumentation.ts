/**
 * Runs once when the site's server starts: a configuration the site cannot run with (no
 * SESSION_SECRET in production) stops it here with one line naming the
 * variable, instead of failing each request later.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { checkSiteConfigOrExit } = await import('@durable-delivery/api/startup-check')
  checkSiteConfigOrExit('menu')
}
