import { parse as parseYaml } from 'yaml'
import type { z } from 'zod'
import type { Repo } from './repo'

/** A deploy config read and validated, or a line in `problems` saying why it could not be. */
export function parseFile<T>(
  repo: Repo,
  path: string,
  schema: z.ZodType<T>,
  format: 'yaml' | 'json',
  problems: string[],
): T | undefined {
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
