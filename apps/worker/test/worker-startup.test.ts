import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freePort } from '@durable-delivery/toolchain'
import { startWorkerProcess } from '@durable-delivery/test-harness'

/** What an operator sees when the Worker cannot start: one clear line and exit code 1. */
describe('Worker startup', () => {
  it('exits 1 with a clear error when no Temporal server answers', async () => {
    const address = `127.0.0.1:${await freePort()}`
    const error = await startWorkerProcess({ address }).then(
      () => expect.fail('the Worker should not start'),
      (caught: Error) => caught,
    )
    expect(error.message).toContain('Worker exited with code 1')
    expect(error.message).toContain(`Cannot reach the Temporal server at ${address}`)
    expect(error.message).toContain('npm run temporal')
  })

  it('the development Worker (from source under tsx, as npm run dev runs it) loads and says the same', async () => {
    const address = `127.0.0.1:${await freePort()}`
    const nodeArgs = ['--import', 'tsx', join(import.meta.dirname, '..', 'src', 'dev-worker.ts')]
    const error = await startWorkerProcess({ address, nodeArgs }).then(
      () => expect.fail('the Worker should not start'),
      (caught: Error) => caught,
    )
    expect(error.message).toContain('Worker exited with code 1')
    expect(error.message).toContain(`Cannot reach the Temporal server at ${address}`)
  })

  it('exits 1 naming the variable when the configuration is malformed', async () => {
    const error = await startWorkerProcess({ address: 'localhost:7233', env: { PAYMENT_FAILURE_RATE: '70%' } }).then(
      () => expect.fail('the Worker should not start'),
      (caught: Error) => caught,
    )
    expect(error.message).toContain('Worker exited with code 1')
    expect(error.message).toMatch(/PAYMENT_FAILURE_RATE: expected a number from 0 to 1 \(got "70%"\)/)
  })
})
