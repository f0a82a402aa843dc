import { join } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const fixtures = join(import.meta.dirname, 'fixtures')

/** The rule ids ESLint reports for one fixture file, with the configs every workspace uses. */
async function rulesFiredOn(file: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: fixtures, overrideConfigFile: join(fixtures, 'eslint.config.js') })
  const [result] = await eslint.lintFiles([join(fixtures, file)])
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message)
}

describe('the shared ESLint config', () => {
  it('fails on a floating promise and on a promise passed where a void callback is expected', async () => {
    const fired = await rulesFiredOn('src/floating-promise.ts')
    expect(fired).toContain('@typescript-eslint/no-floating-promises')
    expect(fired).toContain('@typescript-eslint/no-misused-promises')
  })

  it('keeps workflow code inside the sandbox: no Node built-ins, client, activity code or clocks', async () => {
    const fired = await rulesFiredOn('src/workflow-reaches-out.ts')
    expect(fired.filter((rule) => rule === 'no-restricted-imports')).toHaveLength(3)
    expect(fired.filter((rule) => rule === 'no-restricted-globals')).toHaveLength(2)
  })

  it('keeps browser code from importing the server, but not its types, the batch cap or an API route', async () => {
    const fired = await rulesFiredOn('components/reaches-server.ts')
    expect(fired.filter((rule) => rule === 'no-restricted-imports')).toHaveLength(3)
    expect(await rulesFiredOn('pages/api/trpc.ts')).not.toContain('no-restricted-imports')
  })
})
