import { randomUUID } from 'node:crypto'
import { Client, Connection } from '@temporalio/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDevServer, waitFor, type DevServer } from '@durable-delivery/test-harness'
import { siteRetryInterceptors } from './grpc-retries'

/**
 * A frontend admitting one history long poll per namespace (`frontend.namespaceCount`), and the
 * site's connection: the second long poll must fail at once with RESOURCE_EXHAUSTED, so that the
 * live card's watcher can sweep that card instead of waiting out the SDK's retries (about 40 s).
 */
let server: DevServer
let client: Client

beforeAll(async () => {
  server = await startDevServer({ dynamicConfig: { 'frontend.namespaceCount': 1 } })
  client = new Client({
    connection: await Connection.connect({ address: server.address, interceptors: siteRetryInterceptors() }),
  })
})

afterAll(async () => {
  await client?.connection.close()
  await server?.stop()
})

/** A workflow no Worker runs: its history only grows when the test says so. */
async function idleWorkflow(): Promise<string> {
  const workflowId = randomUUID()
  await client.workflow.start('idle', { taskQueue: `nobody-${workflowId}`, workflowId })
  return workflowId
}

const longPoll = (workflowId: string, nextPageToken?: Uint8Array | null) =>
  client.workflowService.getWorkflowExecutionHistory({
    namespace: 'default',
    execution: { workflowId },
    waitNewEvent: true,
    nextPageToken: nextPageToken ?? null,
  })

describe("the site's connection", () => {
  it('fails a history long poll past the namespace limit at once, instead of retrying it', async () => {
    const [held, other] = [await idleWorkflow(), await idleWorkflow()]
    const { nextPageToken } = await longPoll(held)
    // The holder waits for events past the history so far, taking the namespace's one slot; it is
    // started again whenever it is not waiting (it may be the one refused, if it came second).
    let holder: Promise<void> | undefined
    let refusedInMs: number | undefined
    try {
      await waitFor(
        'a second long poll to be refused',
        async () => {
          holder ??= client.connection
            .withDeadline(Date.now() + 30_000, () => longPoll(held, nextPageToken))
            .then(
              () => undefined,
              () => undefined,
            )
            .finally(() => (holder = undefined))
          const started = Date.now()
          const code = await client.connection
            .withDeadline(Date.now() + 10_000, () => longPoll(other))
            .then(
              () => undefined,
              (error: unknown) => (error as { code?: number }).code,
            )
          if (code !== 8) return false
          refusedInMs = Date.now() - started
          return true
        },
        20_000,
        100,
      )
      // The SDK's default retries it with backoff for about 40 s (here: until the 10 s deadline).
      expect(refusedInMs).toBeLessThan(3_000)
    } finally {
      await client.workflow.getHandle(held).terminate('test over')
      await client.workflow.getHandle(other).terminate('test over')
      await holder
    }
  })
})
