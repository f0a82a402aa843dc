import { CONFIG_SCOPES, configNameLists, configVariableNames } from '@durable-delivery/common/config'
import type { Repo } from './repo'

/** Variables the platforms read themselves, not our config module. */
const PLATFORM_VARIABLES = new Set(['NODE_VERSION'])

/** The preferred name of every variable the config module reads, whoever reads it. */
function allVariableNames(): string[] {
  return configVariableNames(...CONFIG_SCOPES)
}

/** Variables a config sets: known to the config module (by their preferred names), or the platform's own. */
export function checkVariableNames(where: string, names: string[], required: string[]): string[] {
  const problems: string[] = []
  const preferred = new Set(allVariableNames())
  const nameLists = CONFIG_SCOPES.flatMap(configNameLists)
  const aliases = new Map(nameLists.flatMap(([name, ...others]) => others.map((alias) => [alias, name] as const)))
  for (const name of names) {
    if (aliases.has(name)) problems.push(`${where}: ${name} is an alias; set ${aliases.get(name)} instead`)
    else if (!preferred.has(name) && !PLATFORM_VARIABLES.has(name))
      problems.push(`${where}: sets ${name}, which the config module does not read`)
  }
  for (const name of required)
    if (!names.includes(name)) problems.push(`${where}: does not set ${name}, which the config module reads`)
  return problems
}

/** .env.example documents every variable the config module reads, as `NAME=` (or `# NAME=`). */
export function checkEnvExample(repo: Repo): string[] {
  const example = repo.read('.env.example')
  if (example === undefined) return ['.env.example: missing']
  const documented = new Set([...example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]))
  const all = allVariableNames()
  return [
    ...all.filter((name) => !documented.has(name)).map((name) => `.env.example: does not document ${name}`),
    ...[...documented]
      .filter((name) => !all.includes(name!))
      .map((name) => `.env.example: documents ${name}, which the config module does not read`),
  ]
}
