import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, normalize, relative } from 'node:path'
import { z } from 'zod'

/**
 * The monorepo as the checks see it: files by repo-relative path, with optional overrides, so a
 * test can ask "what if render.yaml said this instead?" without touching the real files.
 */
export interface Repo {
  root: string
  read(path: string): string | undefined
  exists(path: string): boolean
  /** Files under a folder, repo-relative, recursively (node_modules and build output left out). */
  list(folder: string): string[]
}

export function openRepo(root: string, overrides: Record<string, string> = {}): Repo {
  const key = (path: string) => normalize(path).replace(/\/+$/, '')
  const overridden = new Map(Object.entries(overrides).map(([path, text]) => [key(path), text]))
  const list = (folder: string): string[] => {
    const absolute = join(root, folder)
    if (!existsSync(absolute)) return []
    return readdirSync(absolute, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, join(entry.parentPath, entry.name)))
      .filter((path) => !/(^|\/)(node_modules|dist|\.next|\.turbo)\//.test(path))
  }
  return {
    root,
    read: (path) =>
      overridden.get(key(path)) ?? (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : undefined),
    exists: (path) => overridden.has(key(path)) || existsSync(join(root, path)),
    list,
  }
}

const packageJson = z.object({
  name: z.string().optional(),
  main: z.string().optional(),
  scripts: z.record(z.string(), z.string()).default({}),
  workspaces: z.array(z.string()).optional(),
  engines: z.object({ node: z.string().optional() }).optional(),
})

export type PackageJson = z.infer<typeof packageJson> & { dir: string }

export function readPackage(repo: Repo, dir: string): PackageJson | undefined {
  const text = repo.read(join(dir, 'package.json'))
  return text === undefined ? undefined : { ...packageJson.parse(JSON.parse(text)), dir: normalize(dir) }
}

/** The workspaces the root package.json declares (`apps/*`, `packages/*`), by folder. */
export function workspaces(repo: Repo): PackageJson[] {
  const root = readPackage(repo, '.')
  const found: PackageJson[] = []
  for (const pattern of root?.workspaces ?? []) {
    const parent = pattern.replace(/\/\*$/, '')
    if (!existsSync(join(repo.root, parent))) continue
    for (const entry of readdirSync(join(repo.root, parent), { withFileTypes: true })) {
      const pkg = entry.isDirectory() ? readPackage(repo, join(parent, entry.name)) : undefined
      if (pkg) found.push(pkg)
    }
  }
  return found
}
