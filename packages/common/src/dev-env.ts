import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * `npm run dev` reads the repository's root `.env` when there is one (`.env.example` lists every
 * variable), in each process it starts: the Temporal dev server script, the Worker, both sites.
 * Variables already set in the environment win. Production reads its platform's environment only.
 */
export function loadRootEnvFile(root: string): void {
  const file = join(root, '.env')
  if (existsSync(file)) process.loadEnvFile(file)
}
