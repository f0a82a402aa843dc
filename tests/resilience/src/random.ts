import { randomInt } from 'node:crypto'
import { z } from 'zod'
import { seededRandom } from '@durable-delivery/test-harness/seeded-random'

/**
 * The one seed behind every choice the fault suite and the load benchmark make (the order plan's
 * shuffle, when a fault strikes, which Worker dies, how long the simulated people pause): a new one
 * each run unless FAULT_SEED gives it, printed at the start so a run's choices can be made again.
 * The timing of the processes themselves is not replayed: the same seed, the same decisions.
 */
export const FAULT_SEED = z.coerce
  .number({ error: 'FAULT_SEED: must be a whole number from 0 to 4294967295' })
  .int('FAULT_SEED: must be a whole number from 0 to 4294967295')
  .min(0, 'FAULT_SEED: must be a whole number from 0 to 4294967295')
  .max(0xffffffff, 'FAULT_SEED: must be a whole number from 0 to 4294967295')
  .parse(process.env.FAULT_SEED || randomInt(0xffffffff))

export const random = seededRandom(FAULT_SEED)
