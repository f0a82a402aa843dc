// Pages take React Query's hooks from here, not from '@tanstack/react-query': that package is
// CommonJS, and a page importing the ESM build would get a second React Query whose hooks cannot
// see the QueryClient the SiteProviders give (site-trpc.tsx): "No QueryClient set".
export { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
export { useSubscription } from './procedure-options'
