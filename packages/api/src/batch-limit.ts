/**
 * Calls one HTTP request may batch. The pages batch a handful at most (the driver list's three
 * sections); the cap keeps one request from fanning out into thousands of calls to Temporal. The
 * server refuses more (next-handler.ts) and the sites' batch link never sends more (packages/ui's site-trpc.tsx).
 * Browser-safe: both sides import it.
 */
export const MAX_BATCH_SIZE = 10
