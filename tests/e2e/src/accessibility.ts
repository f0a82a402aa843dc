import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

// axe-core ships one script for browsers; resolve it where npm put it.
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

interface AxeViolation {
  id: string
  impact?: string | null
  help: string
  nodes: { target: unknown[] }[]
}

/**
 * The serious and critical accessibility violations axe-core finds on the page as it is now,
 * one line each ("html-has-lang: <html> element must have a lang attribute (1 node)").
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SCRIPT })
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe
    return (await axe.run()).violations
  })
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.length} node(s): ${JSON.stringify(violation.nodes.map((node) => node.target))})`,
    )
}
