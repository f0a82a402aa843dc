import { join, normalize } from 'node:path'
import { z } from 'zod'
import { configVariableNames } from '@durable-delivery/common/config'
import { checkCommands, splitCommands, turboFilters } from './commands'
import { parseFile } from './parse-file'
import { readPackage, type Repo } from './repo'

/**
 * The Next.js sites deployed to Vercel, one Vercel project each, whose Root Directory is the
 * site's folder. Vercel reads `vercel.json` from a project's Root Directory only, so each site
 * folder holds a `vercel.json`: a link to the top-level one, which is the single source of the
 * settings (docs/operations.md, "Which file each Vercel project reads").
 */
const SITES = ['apps/menu', 'apps/driver'] as const

/** The top-level file both site projects read through their links. */
const VERCEL_CONFIG = 'vercel.json'

/** Where the Vercel setup (and its `vercel env add` lines) is written down. */
const VERCEL_DOCS = 'docs/operations.md'

const vercelProject = z
  .object({
    framework: z.string().optional(),
    installCommand: z.string().optional(),
    buildCommand: z.string().optional(),
    outputDirectory: z.string().optional(),
    ignoreCommand: z.string().optional(),
    functions: z.record(z.string(), z.object({ runtime: z.string().optional() }).loose()).optional(),
    env: z.unknown().optional(),
    build: z.unknown().optional(),
    builds: z.unknown().optional(),
    routes: z.unknown().optional(),
    services: z.unknown().optional(),
    experimentalServices: z.unknown().optional(),
  })
  .loose()

type VercelProject = z.infer<typeof vercelProject>

/** The top-level vercel.json, and each site's copy of it, against the repo. */
export function checkVercel(repo: Repo): string[] {
  const problems: string[] = []
  const project = parseFile(repo, VERCEL_CONFIG, vercelProject, 'json', problems)
  if (!project) return problems
  problems.push(...checkProjectShape(repo, project))
  for (const site of SITES) problems.push(...checkSite(repo, project, site))
  return problems
}

/** What the file says, whichever site reads it. */
function checkProjectShape(repo: Repo, project: VercelProject): string[] {
  const problems: string[] = []
  const where = VERCEL_CONFIG
  if (project.framework !== 'nextjs') problems.push(`${where}: framework should be nextjs`)
  if (project.builds !== undefined)
    problems.push(
      `${where}: builds turns off the project's build settings (legacy); use installCommand and buildCommand`,
    )
  if (project.routes !== undefined)
    problems.push(`${where}: routes cannot be combined with the Next.js build output; the sites route in Next`)
  if (project.services !== undefined || project.experimentalServices !== undefined) {
    problems.push(
      `${where}: services deploy several apps as one project under path prefixes (a private beta); the sites are two projects (${VERCEL_DOCS})`,
    )
  }
  // Settings in vercel.json are public and shared by every environment: secrets go in the project.
  if (project.env !== undefined || project.build !== undefined) {
    problems.push(`${where}: set environment variables in the Vercel projects (${VERCEL_DOCS}), not in vercel.json`)
  }
  if (!project.installCommand)
    problems.push(`${where}: no installCommand; the sites import workspace packages, so install from the repo root`)
  if (!project.buildCommand) problems.push(`${where}: no buildCommand`)

  // Turbo restores a cached build from its outputs; a build output it does not list is missing
  // on a cache hit, and Vercel's Next.js builder then fails the deploy.
  const output = normalize(project.outputDirectory ?? '.next')
  const turbo = JSON.parse(repo.read('turbo.json') ?? '{"tasks":{}}') as {
    tasks: Record<string, { outputs?: string[] }>
  }
  const outputs = turbo.tasks.build?.outputs ?? []
  if (!outputs.includes(`${output}/**`))
    problems.push(
      `${where} outputDirectory: turbo.json's build task does not list "${output}/**" in its outputs, so a cached build deploys nothing`,
    )
  return problems
}

/** One site project: its Root Directory holds the same file, and the commands build that site. */
function checkSite(repo: Repo, project: VercelProject, site: string): string[] {
  const problems: string[] = []
  const pkg = readPackage(repo, site)
  if (!pkg?.name) return [`${site}: no package.json with a name`]
  const local = join(site, 'vercel.json')
  const text = repo.read(local)
  if (text === undefined)
    problems.push(
      `${local}: missing; Vercel reads vercel.json from the project's Root Directory (${site}), so link it to the top-level file: ln -s ../../vercel.json ${local}`,
    )
  else if (text !== repo.read(VERCEL_CONFIG))
    problems.push(
      `${local}: differs from ${VERCEL_CONFIG}; make it a link to the top-level file (ln -sf ../../vercel.json ${local})`,
    )

  // Vercel runs the commands in the Root Directory, the site's folder.
  const where = `${VERCEL_CONFIG} (${site})`
  for (const key of ['installCommand', 'buildCommand', 'ignoreCommand'] as const) {
    problems.push(...checkCommands(repo, `${where} ${key}`, project[key] ?? '', site))
  }
  if (!buildsSite(project.buildCommand ?? '', site, pkg.name)) {
    problems.push(
      `${where} buildCommand: does not build ${pkg.name} (run \`turbo run build\` in ${site}, where turbo scopes to that package, or pass --filter=${pkg.name})`,
    )
  }
  const output = normalize(project.outputDirectory ?? '.next')
  const distDir = nextDistDir(repo, site)
  if (output !== distDir)
    problems.push(`${where} outputDirectory: ${output}, but Next.js builds ${site} into ${distDir}`)

  const files = repo.list(site)
  for (const [pattern, settings] of Object.entries(project.functions ?? {})) {
    const matcher = globToRegExp(pattern)
    const matched = files.map((file) => file.slice(site.length + 1)).filter((file) => matcher.test(file))
    if (matched.length === 0)
      problems.push(`${where}: functions pattern ${pattern} matches no file (Vercel fails the deploy)`)
    if (settings.runtime !== undefined)
      problems.push(
        `${where}: ${pattern} sets a runtime; Next.js API routes run on Node.js by default, which the Temporal client needs`,
      )
    for (const file of matched) {
      if (/runtime\s*:\s*['"](experimental-)?edge['"]/.test(repo.read(join(site, file)) ?? '')) {
        problems.push(`${join(site, file)}: uses the Edge runtime, but the Temporal client needs Node.js`)
      }
    }
  }
  return problems
}

/**
 * Whether a build command, run in the site's folder, builds the site: turbo run in that folder
 * with no filter (turbo 2 scopes to the package in the current folder, dependencies first), a
 * turbo filter naming the package, or the site's own `npm run build`.
 */
function buildsSite(script: string, site: string, name: string): boolean {
  if (turboFilters(script).includes(name)) return true
  let dir = normalize(site)
  for (const command of splitCommands(script)) {
    const [program, ...args] = command.split(/\s+/).filter(Boolean)
    if (program === 'cd') dir = normalize(join(dir, args[0] ?? '.'))
    const turbo = (program === 'npx' && args[0] === 'turbo') || program === 'turbo'
    const turboArgs = program === 'turbo' ? args : args.slice(1)
    if (
      turbo &&
      dir === normalize(site) &&
      turboArgs[0] === 'run' &&
      turboArgs.includes('build') &&
      turboFilters(command).length === 0
    )
      return true
    if (program === 'npm' && dir === normalize(site) && args[0] === 'run' && args[1] === 'build') return true
  }
  return false
}

/** Next's `distDir` for a site, as its config (or the shared site config) sets it. */
function nextDistDir(repo: Repo, site: string): string {
  const sources = [
    ...['next.config.ts', 'next.config.mjs', 'next.config.js'].map((file) => repo.read(join(site, file))),
    repo.read('packages/api/src/next-config.ts'),
  ]
  for (const source of sources) {
    const match = /distDir\s*:\s*['"]([^'"]+)['"]/.exec(source ?? '')
    if (match) return normalize(match[1]!)
  }
  return '.next'
}

/** The sites read the Temporal and the sign-in parts of the config; the Vercel setup in the docs sets each one. */
export function checkSiteVariables(repo: Repo): string[] {
  const docs = repo.read(VERCEL_DOCS) ?? ''
  return configVariableNames('temporal', 'sites')
    .filter((name) => !docs.includes(`vercel env add ${name}`))
    .map(
      (name) =>
        `${VERCEL_DOCS}: the Vercel setup does not set ${name} (\`vercel env add ${name}\`), which the sites read`,
    )
}

/** `pages/api/**\/*.ts`-style globs, as Vercel's `functions` keys use them. */
function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  const pattern = escaped
    .replace(/\*\*\//g, '(.*/)?')
    .replace(/\*\*/g, '.*')
    .replace(/(?<!\.)\*/g, '[^/]*')
  return new RegExp(`^${pattern}$`)
}
