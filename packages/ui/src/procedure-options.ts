import type {
  DataTag,
  InfiniteData,
  UseInfiniteQueryOptions,
  UseMutationOptions,
  UseQueryOptions,
} from '@tanstack/react-query'
import type { TRPCClientError, TRPCUntypedClient } from '@trpc/client'
import type { TRPCConnectionState } from '@trpc/client/unstable-internals'
import {
  createTRPCRecursiveProxy,
  type AnyTRPCProcedure,
  type AnyTRPCRootTypes,
  type AnyTRPCRouter,
  type inferProcedureInput,
  type inferTransformedProcedureOutput,
  type TRPCRouterRecord,
} from '@trpc/server'
import { useEffect, useEffectEvent, useState } from 'react'

/**
 * React Query options for each procedure, typed by the router: the part of
 * @trpc/tanstack-react-query the sites use (queryOptions, queryKey, pathKey, infiniteQueryOptions,
 * mutationOptions, subscriptionOptions + useSubscription), in a fraction of its bytes. Query keys
 * keep its shape (`[path, { input, type }]`), so `pathKey()` still matches every query of a path.
 */

type QueryKey = [path: string[], meta?: { input?: unknown; type: 'query' | 'infinite' }]
type Reserved = 'queryKey' | 'queryFn'

interface QueryHelpers<TInput, TOutput, TError> {
  queryKey(input: TInput): DataTag<QueryKey, TOutput, TError>
  queryOptions(
    input: TInput,
    options?: Omit<UseQueryOptions<TOutput, TError, TOutput, QueryKey>, Reserved>,
  ): UseQueryOptions<TOutput, TError, TOutput, QueryKey> & { queryKey: DataTag<QueryKey, TOutput, TError> }
  /** Pages by the procedure's `cursor` input, from the first page (no cursor). */
  infiniteQueryOptions(
    input: Omit<TInput, 'cursor'>,
    options: Omit<
      UseInfiniteQueryOptions<TOutput, TError, InfiniteData<TOutput, Cursor<TInput>>, QueryKey, Cursor<TInput>>,
      Reserved | 'initialPageParam'
    >,
  ): UseInfiniteQueryOptions<TOutput, TError, InfiniteData<TOutput, Cursor<TInput>>, QueryKey, Cursor<TInput>>
  pathKey(): QueryKey
}

type Cursor<TInput> = TInput extends { cursor?: infer C } ? C | undefined : never

interface MutationHelpers<TInput, TOutput, TError> {
  mutationOptions<TContext = unknown>(
    options?: Omit<UseMutationOptions<TOutput, TError, TInput, TContext>, 'mutationKey' | 'mutationFn'>,
  ): UseMutationOptions<TOutput, TError, TInput, TContext>
}

/** What a subscription's callbacks hear: each event, the connection's changes, a final error. */
export interface SubscriptionHandlers<TData, TError> {
  enabled?: boolean
  onStarted?: () => void
  onData?: (data: TData) => void
  onError?: (error: TError) => void
  onConnectionStateChange?: (change: TRPCConnectionState<TError>) => void
}

export interface SubscriptionOptions<TData, TError> extends SubscriptionHandlers<TData, TError> {
  /** The procedure and its input: a new key is a new subscription. */
  key: string
  subscribe(observer: Required<Omit<SubscriptionHandlers<TData, TError>, 'enabled'>>): { unsubscribe(): void }
}

interface SubscriptionHelpers<TInput, TOutput, TError> {
  subscriptionOptions(
    input: TInput,
    handlers?: SubscriptionHandlers<TOutput extends AsyncIterable<infer TData> ? TData : never, TError>,
  ): SubscriptionOptions<TOutput extends AsyncIterable<infer TData> ? TData : never, TError>
}

type Helpers<
  TRoot extends AnyTRPCRootTypes,
  TRouter extends AnyTRPCRouter,
  TProcedure extends AnyTRPCProcedure,
> = HelpersOf<
  TProcedure['_def']['type'],
  inferProcedureInput<TProcedure>,
  inferTransformedProcedureOutput<TRoot, TProcedure>,
  TRPCClientError<TRouter>
>

type HelpersOf<TType, TInput, TOutput, TError> = TType extends 'query'
  ? QueryHelpers<TInput, TOutput, TError>
  : TType extends 'mutation'
    ? MutationHelpers<TInput, TOutput, TError>
    : SubscriptionHelpers<TInput, TOutput, TError>

type DecoratedRecord<
  TRoot extends AnyTRPCRootTypes,
  TRouter extends AnyTRPCRouter,
  TRecord extends TRPCRouterRecord,
> = {
  [K in keyof TRecord]: TRecord[K] extends AnyTRPCProcedure
    ? Helpers<TRoot, TRouter, TRecord[K]>
    : TRecord[K] extends TRPCRouterRecord
      ? DecoratedRecord<TRoot, TRouter, TRecord[K]>
      : never
}

/** `trpc.order.getOrderStatus.queryOptions(orderId)` and the like, for every procedure of the router. */
export type ProcedureOptions<TRouter extends AnyTRPCRouter> = DecoratedRecord<
  TRouter['_def']['_config']['$types'],
  TRouter,
  TRouter['_def']['record']
>

/** The options proxy over one tRPC client: each call builds plain React Query options. */
export function createProcedureOptions<TRouter extends AnyTRPCRouter>(
  client: TRPCUntypedClient<TRouter>,
): ProcedureOptions<TRouter> {
  return createTRPCRecursiveProxy<ProcedureOptions<TRouter>>(({ path: segments, args }) => {
    const path = segments.slice(0, -1)
    const name = path.join('.')
    const [input, options] = args as [Record<string, unknown> | undefined, object | undefined]
    const key = (type: 'query' | 'infinite') => [path, { ...(input === undefined ? {} : { input }), type }]
    switch (segments.at(-1)) {
      case 'pathKey':
        return [path]
      case 'queryKey':
        return key('query')
      case 'queryOptions':
        return { ...options, queryKey: key('query'), queryFn: () => client.query(name, input) }
      case 'infiniteQueryOptions':
        return {
          ...options,
          queryKey: key('infinite'),
          initialPageParam: undefined,
          queryFn: ({ pageParam }: { pageParam: unknown }) => client.query(name, { ...input, cursor: pageParam }),
        }
      case 'mutationOptions':
        // The only argument is the options.
        return { ...input, mutationKey: [path], mutationFn: (variables: unknown) => client.mutation(name, variables) }
      case 'subscriptionOptions':
        return {
          ...options,
          key: JSON.stringify([name, input]),
          subscribe: (observer: object) => client.subscription(name, input, observer),
        }
      default:
        throw new TypeError(`${segments.join('.')} is not a procedure helper`)
    }
  })
}

export type SubscriptionStatus = 'idle' | 'connecting' | 'pending' | 'error'

/**
 * Subscribes while `enabled` (by default), again whenever the key (procedure and input) changes.
 * The status follows the connection: `connecting` (with the error that broke the last one, if
 * any), `pending` once events can arrive, `error` after a final error, `idle` once ended.
 * Reconnecting, with the last tracked event id, is the link's work (httpSubscriptionLink).
 */
export function useSubscription<TData, TError>(
  options: SubscriptionOptions<TData, TError>,
): { status: SubscriptionStatus; error: TError | null } {
  const { key, enabled = true } = options
  const [state, setState] = useState<{ key?: string; status: SubscriptionStatus; error: TError | null }>({
    status: 'connecting',
    error: null,
  })
  // The latest options, whatever render made them, without subscribing again.
  const latest = useEffectEvent(() => options)
  useEffect(() => {
    if (!enabled) return
    const set = (status: SubscriptionStatus, error: TError | null = null) =>
      setState((last) =>
        last.key === key && last.status === status && last.error === error ? last : { key, status, error },
      )
    const subscription = latest().subscribe({
      onStarted: () => {
        latest().onStarted?.()
        set('pending')
      },
      onData: (data) => {
        latest().onData?.(data)
        set('pending')
      },
      onError: (error) => {
        latest().onError?.(error)
        set('error', error)
      },
      onConnectionStateChange: (change) => {
        latest().onConnectionStateChange?.(change)
        if (change.state === 'connecting') set('connecting', change.error)
        if (change.state === 'idle') set('idle')
      },
    })
    return () => subscription.unsubscribe()
  }, [key, enabled])
  if (!enabled) return { status: 'idle', error: null }
  // A new key is a new subscription: connecting, until it says otherwise.
  return state.key === key ? state : { status: 'connecting', error: null }
}
