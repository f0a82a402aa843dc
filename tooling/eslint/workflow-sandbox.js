// Workflow code runs in Temporal's deterministic sandbox and is replayed from history, so it may
// not reach the outside world: no Node built-ins, no activity implementations (only their types,
// called through proxyActivities), no client or Worker code, no clocks, randomness or I/O that
// the sandbox does not make deterministic. Applied to a workflow package's source, tests aside.
import { builtinModules } from 'node:module'
import { defineConfig } from 'eslint/config'

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'))

export default defineConfig({
  files: ['src/**/*.ts'],
  ignores: ['src/**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [
          ...nodeBuiltins
            .flatMap((name) => [name, `node:${name}`])
            .map((name) => ({
              name,
              message: 'Node built-ins are not available in the workflow sandbox: do the I/O in an activity.',
            })),
          {
            name: '@durable-delivery/activities',
            allowTypeImports: true,
            message: 'Workflows import activities type-only and call them through proxyActivities.',
          },
          { name: 'uuid', message: 'Use uuid4() from @temporalio/workflow: it is replay-safe.' },
        ],
        patterns: [
          {
            group: ['@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@temporalio/testing'],
            message: 'Workflow code may only use @temporalio/workflow and @temporalio/common.',
          },
        ],
      },
    ],
    'no-restricted-globals': [
      'error',
      ...[
        'process',
        'fetch',
        'setInterval',
        'setImmediate',
        'performance',
        'crypto',
        'WeakRef',
        'FinalizationRegistry',
      ].map((name) => ({
        name,
        message: `${name} is not deterministic in a workflow: use an activity or the SDK's API.`,
      })),
    ],
  },
})
