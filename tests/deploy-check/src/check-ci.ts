import { z } from 'zod'
import { checkCommands, findWorkspace, splitCommands } from './commands'
import { parseFile } from './parse-file'
import type { Repo } from './repo'

const workflow = z.object({
  jobs: z.record(
    z.string(),
    z.object({
      steps: z.array(
        z.object({
          uses: z.string().optional(),
          run: z.string().optional(),
          'working-directory': z.string().optional(),
          with: z.record(z.string(), z.unknown()).optional(),
        }),
      ),
    }),
  ),
})

export const CI_WORKFLOW = '.github/workflows/ci.yml'

/** The GitHub Actions workflow: what .ci/run does, plus the replay job. */
export function checkCi(repo: Repo): { problems: string[]; nodeVersion?: string } {
  const problems: string[] = []
  const ci = parseFile(repo, CI_WORKFLOW, workflow, 'yaml', problems)
  if (!ci) return { problems }
  const steps = Object.entries(ci.jobs).flatMap(([job, { steps }]) => steps.map((step) => ({ job, ...step })))
  for (const step of steps) {
    if (step.run)
      problems.push(...checkCommands(repo, `${CI_WORKFLOW} (${step.job})`, step.run, step['working-directory'] ?? '.'))
  }
  const setups = steps.filter((step) => step.uses?.startsWith('actions/setup-node@'))
  if (setups.length === 0) problems.push(`${CI_WORKFLOW}: no actions/setup-node step`)
  for (const setup of setups) {
    if (setup.with?.cache !== 'npm') problems.push(`${CI_WORKFLOW} (${setup.job}): setup-node should cache npm`)
  }
  const versions = new Set(setups.map((setup) => scalarText(setup.with?.['node-version'])))
  if (versions.size > 1) problems.push(`${CI_WORKFLOW}: jobs use different Node versions (${[...versions].join(', ')})`)

  // The same steps as .ci/run: every npm/npx/node command it runs, CI runs too.
  const runs = steps.flatMap((step) => splitCommands(step.run ?? '').map((command) => normaliseCommand(command)))
  for (const command of splitCommands(repo.read('.ci/run') ?? '')) {
    if (!/^(npm|npx|node) /.test(command)) continue
    if (!runs.includes(normaliseCommand(command)))
      problems.push(`${CI_WORKFLOW}: does not run \`${command}\`, which .ci/run runs`)
  }
  if (!runs.includes('npm run build')) problems.push(`${CI_WORKFLOW}: does not run \`npm run build\``)

  // The replay job: it must run the replay test where it lives.
  const replay = steps.find((step) => /vitest run\s+\S*replay\.test\.ts/.test(step.run ?? ''))
  if (!replay)
    problems.push(
      `${CI_WORKFLOW}: no step replays the committed histories (vitest run src/replay.test.ts in packages/workflows)`,
    )
  else if (!findWorkspace(repo, replay['working-directory'] ?? '.'))
    problems.push(`${CI_WORKFLOW} (${replay.job}): the replay step runs outside a workspace`)
  return { problems, nodeVersion: [...versions][0] }
}

/** Commands compared as written, whitespace aside: the CI workflow runs exactly what .ci/run runs. */
function normaliseCommand(command: string): string {
  return command.trim().replace(/\s+/g, ' ')
}

/** A YAML scalar as text (`24.22.3` may parse as a string or, unquoted, as a number); else ''. */
function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : ''
}
