import { QueryClient, QueryClientProvider, useMutation, useQuery } from '@tanstack/react-query'
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client'
import { useState } from 'react'
import type { MenuRouter } from '@durable-delivery/api'

const ORDER_ID = '00000000-0000-4000-8000-000000000000'

/**
 * Next + the required client libraries, and nothing of ours: the least a page of the menu needs
 * (one query, one mutation, the tRPC client with the sites' three links). No transformer, no
 * @trpc/tanstack-react-query.
 */
export default function RequiredClientLibs() {
  const [queryClient] = useState(() => new QueryClient())
  const [trpc] = useState(() =>
    createTRPCClient<MenuRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({ url: '/api' }),
          false: httpBatchLink({ url: '/api', maxItems: 10 }),
        }),
      ],
    }),
  )
  return (
    <QueryClientProvider client={queryClient}>
      <Order trpc={trpc} />
    </QueryClientProvider>
  )
}

function Order({ trpc }: { trpc: ReturnType<typeof createTRPCClient<MenuRouter>> }) {
  const status = useQuery({ queryKey: ['status'], queryFn: () => trpc.order.getOrderStatus.query(ORDER_ID) })
  const place = useMutation({ mutationFn: () => trpc.order.createOrder.mutate({ orderId: ORDER_ID, productId: 2 }) })
  return (
    <button type="button" onClick={() => place.mutate()}>
      {status.data?.state ?? 'Order Burrata'}
    </button>
  )
}
