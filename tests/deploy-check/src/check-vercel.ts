import { join } from 'node:path'
import { z } from 'zod'
import { configVariableNames } from '@durable-delivery/common/config'
import { checkCommands, turboFilters } from './commands'
import { parseFile } from './parse-file'
import { readPackage, type Repo } from './repo'

/** The Next.js sites deployed to Vercel, one project each (Root Directory = the app folder). */
export const SITES = ['apps/menu', 'apps/driver'] as const

const vercelProject = z.object({
  framework: z.string().optional(),
  installCommand: z.string().optional(),
  buildCommand: z.string().optional(),
  functions: z.record(z.string(), z.object({ runtime: z.string().optional() }).loose()).optional(),
  env: z.unknown().optional(),
})

/** `<site>/vercel.json`: one Vercel project per site, built from the monorepo. */
export function checkVercel(repo: Repo, site: string): string[] {
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

/** The sites read the Temporal part of the config; the README's Vercel setup sets each one. */
export function checkSiteVariables(repo: Repo): string[] {
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
