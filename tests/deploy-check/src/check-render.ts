import { join } from 'node:path'
import { z } from 'zod'
import {
  ConfigError,
  configVariableNames,
  loadOpsConfig,
  loadWorkerProcessConfig,
  SECRET_VARIABLES,
} from '@durable-delivery/common/config'
import { checkCommands, turboFilters } from './commands'
import { parseFile } from './parse-file'
import { readPackage, type Repo } from './repo'
import { checkVariableNames } from './variables'

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
      disk: z.object({ name: z.string(), mountPath: z.string(), sizeGB: z.number().optional() }).optional(),
      envVars: z
        .array(
          z.object({
            key: z.string(),
            value: z.union([z.string(), z.number()]).optional(),
            sync: z.boolean().optional(),
          }),
        )
        .default([]),
    }),
  ),
})

/** render.yaml: the Worker as a Render background worker. */
export function checkRender(repo: Repo): { problems: string[]; nodeVersion?: string } {
  const problems: string[] = []
  const blueprint = parseFile(repo, 'render.yaml', renderBlueprint, 'yaml', problems)
  if (!blueprint) return { problems }
  const workers = blueprint.services.filter((service) => service.type === 'worker')
  const worker = workers[0]
  if (workers.length !== 1 || !worker)
    return { problems: [...problems, 'render.yaml: expected exactly one service of type worker (the Temporal Worker)'] }
  const where = `render.yaml (${worker.name})`
  if (worker.runtime !== 'node') problems.push(`${where}: runtime is ${worker.runtime}, expected node`)
  if (worker.branch !== 'main') problems.push(`${where}: deploys branch ${worker.branch}, expected main`)
  if (!['commit', 'checksPass'].includes(worker.autoDeployTrigger ?? ''))
    problems.push(`${where}: autoDeployTrigger should deploy main automatically (commit or checksPass)`)

  // Commands: the build builds the Worker (and so its workflow bundle), the start runs what the
  // Worker's own `npm start` runs, from the repo root, without npm in between.
  if (!worker.buildCommand || !worker.startCommand) problems.push(`${where}: needs a buildCommand and a startCommand`)
  problems.push(...checkCommands(repo, `${where} buildCommand`, worker.buildCommand ?? ''))
  problems.push(...checkCommands(repo, `${where} startCommand`, worker.startCommand ?? ''))
  const workerPackage = readPackage(repo, WORKER_DIR)
  if (workerPackage?.name && !turboFilters(worker.buildCommand ?? '').includes(workerPackage.name)) {
    problems.push(
      `${where} buildCommand: does not build ${workerPackage.name} (--filter=${workerPackage.name}), so there is no workflow bundle to run`,
    )
  }
  const expectedStart = workerPackage?.scripts.start?.replace(
    /^node (\S+)/,
    (_all, file: string) => `node ${join(WORKER_DIR, file)}`,
  )
  if (expectedStart && worker.startCommand?.trim() !== expectedStart) {
    problems.push(
      `${where} startCommand: runs \`${worker.startCommand}\`, but the Worker starts with \`${expectedStart}\` (${WORKER_DIR}/package.json "start")`,
    )
  }

  // Variables: exactly the ones the Worker reads; secrets never carry a value; the values given
  // pass the config module's own validation.
  const names = worker.envVars.map((variable) => variable.key)
  problems.push(...checkVariableNames(where, names, configVariableNames('temporal', 'services', 'ops')))
  const values: Record<string, string> = {}
  for (const variable of worker.envVars) {
    const secret = SECRET_VARIABLES.includes(variable.key)
    if (secret && (variable.value !== undefined || variable.sync !== false))
      problems.push(`${where}: ${variable.key} is a secret: give it no value and sync: false`)
    if (variable.value !== undefined) values[variable.key] = String(variable.value)
  }
  try {
    const config = loadWorkerProcessConfig(values)
    const grace = loadOpsConfig(values).shutdownGraceMs
    const delay = worker.maxShutdownDelaySeconds ?? 30 // Render's default
    if (grace >= delay * 1000)
      problems.push(
        `${where}: SHUTDOWN_GRACE_TIME (${grace} ms) must be shorter than maxShutdownDelaySeconds (${delay} s), or Render kills running activities`,
      )
    if (config.ops.logFormat !== 'json')
      problems.push(`${where}: production logs should be JSON (LOG_FORMAT=json or NODE_ENV=production)`)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    problems.push(`${where}: ${error.message}`)
  }
  // The simulated payment ledger is the payment service's book of record: on the instance's
  // ephemeral filesystem a deploy would lose it, and every refund of an order charged before.
  const ledgerPath = values.LEDGER_PATH ?? ''
  const mount = worker.disk?.mountPath.replace(/\/+$/, '')
  if (!mount)
    problems.push(
      `${where}: has no persistent disk for the simulated payment ledger (LEDGER_PATH); a deploy would lose it`,
    )
  else if (!ledgerPath.startsWith(`${mount}/`))
    problems.push(
      `${where}: LEDGER_PATH (${ledgerPath}) is not on the persistent disk mounted at ${mount}; a deploy would lose the ledger`,
    )
  return { problems, nodeVersion: values.NODE_VERSION }
}
