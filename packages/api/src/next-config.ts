import { join } from 'node:path'
import type { NextConfig } from 'next'
import { loadRootEnvFile } from '@durable-delivery/common/dev-env'

/**
 * The Next.js configuration both sites share (`apps/<site>/next.config.ts`). The Temporal SDK
 * stays out of Next's server bundle (native gRPC, protobufs, and a minifier that would rename the
 * workflow functions: sdk-typescript#1615), and the monorepo root is the workspace root. Our
 * packages export TypeScript source, which Next compiles for the site (`transpilePackages`).
 */
export function siteNextConfig(appDir: string): NextConfig {
  const root = join(appDir, '..', '..')
  if (process.env.NODE_ENV === 'development') loadRootEnvFile(root)
  return {
    reactStrictMode: true,
    poweredByHeader: false,
    transpilePackages: [
      '@durable-delivery/api',
      '@durable-delivery/common',
      '@durable-delivery/ui',
      '@durable-delivery/workflows',
    ],
    serverExternalPackages: [
      '@temporalio/client',
      '@temporalio/common',
      '@temporalio/proto',
      '@temporalio/workflow',
      '@grpc/grpc-js',
    ],
    turbopack: { root },
    outputFileTracingRoot: root,
  }
}
