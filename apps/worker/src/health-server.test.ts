import { afterEach, describe, expect, it } from 'vitest'
import type { State } from '@temporalio/worker'
import { startHealthServer, type HealthServer } from './health-server'

describe('the health endpoint', () => {
  let state: State | 'STARTING' = 'STARTING'
  let health: HealthServer | undefined

  afterEach(async () => {
    await health?.close()
    health = undefined
  })

  async function probe(path = '/healthz'): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`http://127.0.0.1:${health!.port}${path}`)
    return { status: response.status, body: await response.json() }
  }

  it('answers 200 only while the Worker polls, 503 while it starts or shuts down', async () => {
    health = await startHealthServer(0, () => state, { taskQueue: 'durable-delivery' })
    state = 'STARTING'
    expect(await probe()).toEqual({
      status: 503,
      body: { polling: false, state: 'STARTING', taskQueue: 'durable-delivery' },
    })
    state = 'RUNNING'
    expect(await probe()).toEqual({
      status: 200,
      body: { polling: true, state: 'RUNNING', taskQueue: 'durable-delivery' },
    })
    for (const stopping of ['STOPPING', 'DRAINING', 'DRAINED', 'STOPPED', 'FAILED'] as const) {
      state = stopping
      expect(await probe()).toMatchObject({ status: 503, body: { polling: false, state: stopping } })
    }
  })

  it('answers 404 elsewhere', async () => {
    health = await startHealthServer(0, () => 'RUNNING', {})
    expect((await probe('/metrics')).status).toBe(404)
  })

  it('refuses to start on a port already taken, naming the port', async () => {
    health = await startHealthServer(0, () => 'RUNNING', {})
    await expect(startHealthServer(health.port, () => 'RUNNING', {})).rejects.toThrow(
      `Cannot serve the health endpoint on port ${health.port}`,
    )
  })
})
