// Code that runs in the browser (packages/ui, a site's components, lib and pages) never imports
// the server: the API's values (its routers reach Temporal and the configuration), the validated
// configuration and dev-env loader, or the Temporal SDK. Router types are fine (`import type`),
// and so is the API's batch cap, which both sides of the wire share. A site's API routes
// (pages/api) are server code.
import { defineConfig } from 'eslint/config'

const SERVER_ONLY = 'is server code: browser code imports only its types (`import type`) or packages/ui.'

export default defineConfig({
  files: ['src/**', 'components/**', 'lib/**', 'pages/**'],
  ignores: ['pages/api/**'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            // The package and its subpaths, but for the batch cap.
            regex: '^@durable-delivery/api(/(?!batch-limit$).*)?$',
            allowTypeImports: true,
            message: `@durable-delivery/api ${SERVER_ONLY}`,
          },
          {
            group: [
              '@durable-delivery/common/config',
              '@durable-delivery/common/dev-env',
              '@durable-delivery/common/temporal-connection',
            ],
            allowTypeImports: true,
            message: `The configuration and the Temporal connection ${SERVER_ONLY}`,
          },
          {
            group: ['@temporalio/*'],
            allowTypeImports: true,
            message: `The Temporal SDK ${SERVER_ONLY}`,
          },
        ],
      },
    ],
  },
})
