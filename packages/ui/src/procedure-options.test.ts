import type { TRPCUntypedClient } from '@trpc/client'
import { describe, expect, it } from 'vitest'
import type { AppRouter } from '@durable-delivery/api'
import { createProcedureOptions } from './procedure-options'

/** A client that records what the options ask of it. */
function recordingClient() {
  const calls: unknown[][] = []
  const client = {
    query: (...args: unknown[]) => Promise.resolve(calls.push(['query', ...args])),
    mutation: (...args: unknown[]) => Promise.resolve(calls.push(['mutation', ...args])),
    subscription: (...args: unknown[]) => {
      calls.push(['subscription', ...args])
      return { unsubscribe: () => undefined }
    },
  }
  return { calls, trpc: createProcedureOptions(client as unknown as TRPCUntypedClient<AppRouter>) }
}

describe('the procedures as React Query options', () => {
  it('key queries by path, input and kind, so a path key matches them all', () => {
    const { trpc } = recordingClient()
    expect(trpc.order.getOrderStatus.queryKey('id-1')).toEqual([
      ['order', 'getOrderStatus'],
      { input: 'id-1', type: 'query' },
    ])
    expect(trpc.auth.session.queryOptions().queryKey).toEqual([['auth', 'session'], { type: 'query' }])
    expect(trpc.driverList.listSection.pathKey()).toEqual([['driverList', 'listSection']])
    const pages = trpc.driverList.listSection.infiniteQueryOptions(
      { section: 'ready' },
      { getNextPageParam: (page) => page.nextCursor },
    )
    expect(pages.queryKey).toEqual([['driverList', 'listSection'], { input: { section: 'ready' }, type: 'infinite' }])
    expect(pages.initialPageParam).toBeUndefined()
  })

  it('call the client with the procedure path: a page with its cursor, a mutation with its variables', async () => {
    const { calls, trpc } = recordingClient()
    const options = trpc.order.getOrderStatus.queryOptions('id-1', { enabled: false })
    expect(options.enabled).toBe(false)
    await (options.queryFn as () => Promise<unknown>)()
    const pages = trpc.order.myOrders.infiniteQueryOptions({}, { getNextPageParam: (page) => page.nextCursor })
    await (pages.queryFn as (context: { pageParam: unknown }) => Promise<unknown>)({ pageParam: 'next' })
    const rate = trpc.order.rate.mutationOptions({ onSuccess: () => undefined })
    expect(rate.mutationKey).toEqual([['order', 'rate']])
    expect(rate.onSuccess).toBeTypeOf('function')
    await rate.mutationFn!({ orderId: 'id-1', stars: 5 }, undefined as never)
    expect(calls).toEqual([
      ['query', 'order.getOrderStatus', 'id-1'],
      ['query', 'order.myOrders', { cursor: 'next' }],
      ['mutation', 'order.rate', { orderId: 'id-1', stars: 5 }],
    ])
  })

  it('subscribe under a key of path and input, with the observer given', () => {
    const { calls, trpc } = recordingClient()
    const options = trpc.order.watchOrderStatus.subscriptionOptions({ orderId: 'id-1' }, { enabled: false })
    expect(options).toMatchObject({ enabled: false, key: '["order.watchOrderStatus",{"orderId":"id-1"}]' })
    const observer = { onStarted() {}, onData() {}, onError() {}, onConnectionStateChange() {} }
    options.subscribe(observer)
    expect(calls).toEqual([['subscription', 'order.watchOrderStatus', { orderId: 'id-1' }, observer]])
  })
})
