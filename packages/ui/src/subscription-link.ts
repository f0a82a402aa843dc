import { httpSubscriptionLink } from '@trpc/client'
import type { AppRouter } from '@durable-delivery/api'

/**
 * Subscriptions pushed over SSE: one EventSource each, resumed by event id after a reconnect.
 * Its own module so that pages load it only when something subscribes (lazy-link.ts).
 */
export const subscriptionLink = httpSubscriptionLink<AppRouter, typeof EventSource>({ url: '/api' })
