import { join } from 'node:path'
import semver from 'semver'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import {
  CONFIG_VARIABLES,
  ConfigError,
  configVariableNames,
  loadOpsConfig,
  loadWorkerProcessConfig,
  SECRET_VARIABLES,
} from '@durable-delivery/common/config'
import { checkCommands, findWorkspace, splitCommands, turboFilters } from './commands'
import { readPackage, type Repo } from './repo'

/** Variables the platforms read themselves, not our config module. */
const PLATFORM_VARIABLES = new Set(['NODE_VERSION'])

/** The Next.js sites deployed to Vercel, one project each (Root Directory = the app folder). */
export const SITES = ['apps/menu', 'apps/driver'] as const

const WORKER_DIR = 'apps/worker'

const renderBlueprint = z.object({
  services: z.array(
    z.object({
      type: z.string(),
      name: z.string(),
      runtime: z.string().optional(),
      branch: z.string().optional(),
      autoDeployTrigger: z.string().optional(),
      buildCommand: z.string().optional(),
      startCommand: z.string().optional(),
      maxShutdownDelaySeconds: z.number().optional(),
      envVars: z
        .array(z.object({ key: z.string(), value: z.union([z.string(), z.number()]).optional(), sync: z.boolean().optional() }))
        .default([]),
    }),
  ),
})

const vercelProject = z.object({
  framework: z.string().optional(),
  installCommand: z.string().optional(),
  buildCommand: z.string().optional(),
  functions: z.record(z.string(), z.object({ runtime: z.string().optional() }).loose()).optional(),
  env: z.unknown().optional(),
})

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

/** The preferred name of every variable the config module reads, whoever reads it. */
function allVariableNames(): string[] {
  return configVariableNames(...(Object.keys(CONFIG_VARIABLES) as (keyof typeof CONFIG_VARIABLES)[]))
}

/**
 * Everything that would make a deploy config disagree with the code, one line each; empty when
 * render.yaml, the Vercel projects and the CI workflow all match it.
 */
export function checkDeployConfigs(repo: Repo): string[] {
  const render = checkRender(repo)
  const ci = checkCi(repo)
  const problems = [...render.problems, ...ci.problems, ...SITES.flatMap((site) => checkVercel(repo, site)), ...checkSiteVariables(repo), ...checkEnvExample(repo)]
  const engines = readPackage(repo, '.')?.engines?.node
  if (!engines) problems.push('package.json: no engines.node to check Node versions against')
  for (const [where, version] of [
    ['render.yaml NODE_VERSION', render.nodeVersion],
    [`${CI_WORKFLOW} setup-node node-version`, ci.nodeVersion],
  ] as const) {
    if (!version) problems.push(`${where}: not set`)
    else if (!semver.valid(version)) problems.push(`${where}: "${version}" is not an exact version (x.y.z), so CI and production could differ`)
    else if (engines && !semver.satisfies(version, engines)) problems.push(`${where}: ${version} does not satisfy engines.node "${engines}"`)
  }
  if (render.nodeVersion && ci.nodeVersion && render.nodeVersion !== ci.nodeVersion) {
    problems.push(`Node versions differ: render.yaml ${render.nodeVersion}, ${CI_WORKFLOW} ${ci.nodeVersion}`)
  }
  return problems
}

function parseFile<T>(repo: Repo, path: string, schema: z.ZodType<T>, format: 'yaml' | 'json', problems: string[]): T | undefined {
  const text = repo.read(path)
  if (text === undefined) {
    problems.push(`${path}: missing`)
    return undefined
  }
  const result = schema.safeParse(format === 'yaml' ? parseYaml(text) : JSON.parse(text))
  if (!result.success) {
    const issue = result.error.issues[0]
    problems.push(`${path}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'unexpected shape'}`)
    return undefined
  }
  return result.data
}

/** Variables a config sets: known to the config module (by their preferred names), or the platform's own. */
function checkVariableNames(where: string, names: string[], required: string[]): string[] {
  const problems: string[] = []
  const preferred = new Set(allVariableNames())
  const nameLists: (readonly string[])[] = Object.values(CONFIG_VARIABLES).flatMap((scope) => Object.values(scope))
  const aliases = new Map(nameLists.flatMap(([name, ...others]) => others.map((alias) => [alias, name!] as const)))
  for (const name of names) {
    if (aliases.has(name)) problems.push(`${where}: ${name} is an alias; set ${aliases.get(name)} instead`)
    else if (!preferred.has(name) && !PLATFORM_VARIABLES.has(name)) problems.push(`${where}: sets ${name}, which the config module does not read`)
  }
  for (const name of required) if (!names.includes(name)) problems.push(`${where}: does not set ${name}, which the config module reads`)
  return problems
}

function checkRender(repo: Repo): { problems: string[]; nodeVersion?: string } {
  const problems: string[] = []
  const blueprint = parseFile(repo, 'render.yaml', renderBlueprint, 'yaml', problems)
  if (!blueprint) return { problems }
  const workers = blueprint.services.filter((service) => service.type === 'worker')
  const worker = workers[0]
  if (workers.length !== 1 || !worker) return { problems: [...problems, 'render.yaml: expected exactly one service of type worker (the Temporal Worker)'] }
  const where = `render.yaml (${worker.name})`
  if (worker.runtime !== 'node') problems.push(`${where}: runtime is ${worker.runtime}, expected node`)
  if (worker.branch !== 'main') problems.push(`${where}: deploys branch ${worker.branch}, expected main`)
  if (!['commit', 'checksPass'].includes(worker.autoDeployTrigger ?? '')) problems.push(`${where}: autoDeployTrigger should deploy main automatically (commit or checksPass)`)

  // Commands: the build builds the Worker (and so its workflow bundle), the start runs what the
  // Worker's own `npm start` runs, from the repo root, without npm in between.
  if (!worker.buildCommand || !worker.startCommand) problems.push(`${where}: needs a buildCommand and a startCommand`)
  problems.push(...checkCommands(repo, `${where} buildCommand`, worker.buildCommand ?? ''))
  problems.push(...checkCommands(repo, `${where} startCommand`, worker.startCommand ?? ''))
  const workerPackage = readPackage(repo, WORKER_DIR)
  if (workerPackage?.name && !turboFilters(worker.buildCommand ?? '').includes(workerPackage.name)) {
    problems.push(`${where} buildCommand: does not build ${workerPackage.name} (--filter=${workerPackage.name}), so there is no workflow bundle to run`)
  }
  const expectedStart = workerPackage?.scripts.start?.replace(/^node (\S+)/, (_all, file: string) => `node ${join(WORKER_DIR, file)}`)
  if (expectedStart && worker.startCommand?.trim() !== expectedStart) {
    problems.push(`${where} startCommand: runs \`${worker.startCommand}\`, but the Worker starts with \`${expectedStart}\` (${WORKER_DIR}/package.json "start")`)
  }

  // Variables: exactly the ones the Worker reads; secrets never carry a value; the values given
  // pass the config module's own validation.
  const names = worker.envVars.map((variable) => variable.key)
  problems.push(...checkVariableNames(where, names, configVariableNames('temporal', 'services', 'ops')))
  const values: Record<string, string> = {}
  for (const variable of worker.envVars) {
    const secret = SECRET_VARIABLES.includes(variable.key)
    if (secret && (variable.value !== undefined || variable.sync !== false)) problems.push(`${where}: ${variable.key} is a secret: give it no value and sync: false`)
    if (variable.value !== undefined) values[variable.key] = String(variable.value)
  }
  try {
    const config = loadWorkerProcessConfig(values)
    const grace = loadOpsConfig(values).shutdownGraceMs
    const delay = worker.maxShutdownDelaySeconds ?? 30 // Render's default
    if (grace >= delay * 1000) problems.push(`${where}: SHUTDOWN_GRACE_TIME (${grace} ms) must be shorter than maxShutdownDelaySeconds (${delay} s), or Render kills running activities`)
    if (config.ops.logFormat !== 'json') problems.push(`${where}: production logs should be JSON (LOG_FORMAT=json or NODE_ENV=production)`)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    problems.push(`${where}: ${error.message}`)
  }
  return { problems, nodeVersion: values.NODE_VERSION }
}

function checkVercel(repo: Repo, site: string): string[] {
  const problems: string[] = []
  const path = join(site, 'vercel.json')
  const project = parseFile(repo, path, vercelProject, 'json', problems)
  const pkg = readPackage(repo, site)
  if (!project || !pkg) return pkg ? problems : [...problems, `${site}: no package.json`]
  if (project.framework !== 'nextjs') problems.push(`${path}: framework should be nextjs`)
  // Vercel runs these from the Root Directory (the app folder).
  problems.push(...checkCommands(repo, `${path} installCommand`, project.installCommand ?? '', site))
  problems.push(...checkCommands(repo, `${path} buildCommand`, project.buildCommand ?? '', site))
  if (!turboFilters(project.buildCommand ?? '').includes(pkg.name ?? '')) problems.push(`${path} buildCommand: does not build ${pkg.name} (--filter=${pkg.name})`)
  // Settings in vercel.json are public and shared by every environment: secrets go in the project.
  if (project.env !== undefined) problems.push(`${path}: set environment variables in the Vercel project (README, "Deploy"), not in vercel.json`)
  const files = repo.list(site)
  for (const [pattern, settings] of Object.entries(project.functions ?? {})) {
    const matcher = globToRegExp(pattern)
    const matched = files.map((file) => file.slice(site.length + 1)).filter((file) => matcher.test(file))
    if (matched.length === 0) problems.push(`${path}: functions pattern ${pattern} matches no file (Vercel fails the deploy)`)
    if (settings.runtime !== undefined) problems.push(`${path}: ${pattern} sets a runtime; Next.js API routes run on Node.js by default, which the Temporal client needs`)
    for (const file of matched) {
      if (/runtime\s*:\s*['"](experimental-)?edge['"]/.test(repo.read(join(site, file)) ?? '')) {
        problems.push(`${join(site, file)}: uses the Edge runtime, but the Temporal client needs Node.js`)
      }
    }
  }
  return problems
}

/** .env.example documents every variable the config module reads, as `NAME=` (or `# NAME=`). */
function checkEnvExample(repo: Repo): string[] {
  const example = repo.read('.env.example')
  if (example === undefined) return ['.env.example: missing']
  const documented = new Set([...example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]))
  const all = allVariableNames()
  return [
    ...all.filter((name) => !documented.has(name)).map((name) => `.env.example: does not document ${name}`),
    ...[...documented].filter((name) => !all.includes(name!)).map((name) => `.env.example: documents ${name}, which the config module does not read`),
  ]
}

/** The sites read the Temporal part of the config; the README's Vercel setup sets each one. */
function checkSiteVariables(repo: Repo): string[] {
  const readme = repo.read('README.md') ?? ''
  return configVariableNames('temporal')
    .filter((name) => !readme.includes(`vercel env add ${name}`))
    .map((name) => `README.md: the Vercel setup does not set ${name} (\`vercel env add ${name}\`), which the sites read`)
}

/** `pages/api/**\/*.ts`-style globs, as Vercel's `functions` keys use them. */
function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  const pattern = escaped.replace(/\*\*\//g, '(.*/)?').replace(/\*\*/g, '.*').replace(/(?<!\.)\*/g, '[^/]*')
  return new RegExp(`^${pattern}$`)
}

function checkCi(repo: Repo): { problems: string[]; nodeVersion?: string } {
  const problems: string[] = []
  const ci = parseFile(repo, CI_WORKFLOW, workflow, 'yaml', problems)
  if (!ci) return { problems }
  const steps = Object.entries(ci.jobs).flatMap(([job, { steps }]) => steps.map((step) => ({ job, ...step })))
  for (const step of steps) {
    if (step.run) problems.push(...checkCommands(repo, `${CI_WORKFLOW} (${step.job})`, step.run, step['working-directory'] ?? '.'))
  }
  const setups = steps.filter((step) => step.uses?.startsWith('actions/setup-node@'))
  if (setups.length === 0) problems.push(`${CI_WORKFLOW}: no actions/setup-node step`)
  for (const setup of setups) {
    if (setup.with?.cache !== 'npm') problems.push(`${CI_WORKFLOW} (${setup.job}): setup-node should cache npm`)
  }
  const versions = new Set(setups.map((setup) => String(setup.with?.['node-version'] ?? '')))
  if (versions.size > 1) problems.push(`${CI_WORKFLOW}: jobs use different Node versions (${[...versions].join(', ')})`)

  // The same steps as .ci/run: every npm/npx/node command it runs, CI runs too.
  const runs = steps.flatMap((step) => splitCommands(step.run ?? '').map((command) => normaliseCommand(command)))
  for (const command of splitCommands(repo.read('.ci/run') ?? '')) {
    if (!/^(npm|npx|node) /.test(command)) continue
    if (!runs.includes(normaliseCommand(command))) problems.push(`${CI_WORKFLOW}: does not run \`${command}\`, which .ci/run runs`)
  }
  if (!runs.includes('npm run build')) problems.push(`${CI_WORKFLOW}: does not run \`npm run build\``)

  // The replay job: it must run the replay test where it lives.
  const replay = steps.find((step) => /vitest run\s+\S*replay\.test\.ts/.test(step.run ?? ''))
  if (!replay) problems.push(`${CI_WORKFLOW}: no step replays the committed histories (vitest run src/replay.test.ts in packages/workflows)`)
  else if (!findWorkspace(repo, replay['working-directory'] ?? '.')) problems.push(`${CI_WORKFLOW} (${replay.job}): the replay step runs outside a workspace`)
  return { problems, nodeVersion: [...versions][0] }
}

/** Commands compared without the flags that only change how much they print. */
function normaliseCommand(command: string): string {
  return command
    .replace(/\s+--output-logs=\S+/g, '')
    .replace(/\s+--no-audit|\s+--no-fund/g, '')
    .replace(/\s+--\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim()
}
