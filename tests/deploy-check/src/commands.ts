import { join, normalize } from 'node:path'
import { readPackage, workspaces, type PackageJson, type Repo } from './repo'

/**
 * Checks the shell commands a deploy config names (build, start, CI steps) against the repo:
 * npm scripts exist in the package they run in, turbo tasks and filters name real tasks and
 * packages, files handed to node or vitest exist. Commands of other tools (apt-get, chromium,
 * actionlint) are not ours to check and pass. Returns one line per problem.
 */
export function checkCommands(repo: Repo, where: string, script: string, cwd = '.'): string[] {
  const problems: string[] = []
  let dir = normalize(cwd)
  for (const command of splitCommands(script)) {
    const words = command.split(/\s+/).filter(Boolean)
    const problem = (text: string) => problems.push(`${where}: \`${command}\`: ${text}`)
    const [program, ...args] = words
    if (program === 'cd') {
      const target = normalize(join(dir, args[0] ?? '.'))
      if (!repo.exists(target)) problem(`no folder ${target}`)
      dir = target
    } else if (program === 'npm') {
      checkNpm(repo, dir, args, problem)
    } else if (program === 'npx' && args[0] === 'turbo') {
      checkTurbo(repo, args.slice(1), problem)
    } else if (program === 'npx' && args[0] === 'vitest') {
      for (const file of args.slice(2).filter((arg) => !arg.startsWith('-'))) {
        if (!repo.exists(join(dir, file))) problem(`no test file ${join(dir, file)}`)
      }
    } else if (program === 'node' && args[0] && !args[0].startsWith('-')) {
      const file = normalize(join(dir, args[0]))
      if (!builtFrom(repo, file)) problem(`${file} is neither in the repo nor built from a source file in it`)
    }
  }
  return problems
}

/** `a && b`, one command per line, `\` continuations and comments: the commands in order. */
export function splitCommands(script: string): string[] {
  return script
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .flatMap((line) => line.split(/&&|\|\||;/))
    .map((command) => command.trim())
    .filter(Boolean)
}

/** A file node runs: in the repo, or a compiled `dist/x.js` whose `src/x.ts` is in the repo. */
function builtFrom(repo: Repo, file: string): boolean {
  if (repo.exists(file)) return true
  const source = file.replace(/(^|\/)dist\//, '$1src/').replace(/\.js$/, '.ts')
  return source !== file && repo.exists(source)
}

function checkNpm(repo: Repo, dir: string, args: string[], problem: (text: string) => void): void {
  const [verb, ...rest] = args
  const [own, passed] = splitAt(rest, '--')
  const workspace = optionValue(own, ['--workspace', '-w'])
  const pkg = workspace === undefined ? readPackage(repo, dir) : findWorkspace(repo, workspace)
  if (!pkg) return problem(workspace === undefined ? `no package.json in ${dir}` : `no workspace ${workspace}`)
  let script: string | undefined
  if (verb === 'run' || verb === 'run-script') script = own.find((arg) => !arg.startsWith('-') && arg !== workspace)
  else if (verb === 'start' || verb === 'test') script = verb
  else if (verb === 'ci' || verb === 'install' || verb === 'i') return
  else return problem(`npm ${verb} is not a command these configs use`)
  if (!script) return problem('names no script')
  const body = pkg.scripts[script]
  if (body === undefined) return problem(`no script "${script}" in ${join(pkg.dir, 'package.json')}`)
  // `npm run build -- --filter=x` at the root passes the filter on to turbo: check it too.
  if (/^turbo run /.test(body)) checkTurbo(repo, [...body.split(/\s+/).slice(1), ...passed], problem)
}

function checkTurbo(repo: Repo, args: string[], problem: (text: string) => void): void {
  const [verb, ...rest] = args
  if (verb !== 'run') return problem(`turbo ${verb} is not a command these configs use`)
  const tasks = rest.filter((arg) => !arg.startsWith('-'))
  const turbo = JSON.parse(repo.read('turbo.json') ?? '{"tasks":{}}') as { tasks: Record<string, unknown> }
  for (const task of tasks) if (!(task in turbo.tasks)) problem(`no turbo task "${task}" in turbo.json`)
  const names = new Set(workspaces(repo).map((pkg) => pkg.name))
  for (const filter of optionValues(rest, ['--filter', '-F'])) {
    const name = filter.replace(/^\.\.\.|\^?\.\.\.$/g, '')
    if (!names.has(name)) problem(`turbo --filter=${filter} names no workspace package`)
  }
}

export function findWorkspace(repo: Repo, nameOrDir: string): PackageJson | undefined {
  return workspaces(repo).find((pkg) => pkg.name === nameOrDir || pkg.dir === normalize(nameOrDir))
}

/** Turbo filters in a command: the packages it builds or runs. */
export function turboFilters(script: string): string[] {
  return splitCommands(script).flatMap((command) => optionValues(command.split(/\s+/), ['--filter', '-F']))
}

function splitAt(args: string[], marker: string): [string[], string[]] {
  const index = args.indexOf(marker)
  return index < 0 ? [args, []] : [args.slice(0, index), args.slice(index + 1)]
}

function optionValues(args: string[], names: string[]): string[] {
  const values: string[] = []
  args.forEach((arg, index) => {
    for (const name of names) {
      if (arg === name && args[index + 1] !== undefined) values.push(args[index + 1]!)
      else if (arg.startsWith(`${name}=`)) values.push(arg.slice(name.length + 1))
    }
  })
  return values
}

function optionValue(args: string[], names: string[]): string | undefined {
  return optionValues(args, names)[0]
}
