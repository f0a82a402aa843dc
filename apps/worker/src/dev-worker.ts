import { join } from 'node:path'
import { loadRootEnvFile } from '@durable-delivery/common/dev-env'

// `npm run dev`: the Worker from source under `tsx watch`, which restarts it when its code, the
// activities or (with --include) the workflows change. The root .env first, then the Worker.
loadRootEnvFile(join(import.meta.dirname, '..', '..', '..'))
await import('./worker')
