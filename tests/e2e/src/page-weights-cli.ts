import { firstLoadJsBytes } from '@durable-delivery/test-harness'

// `npm run weights -w tests/e2e` after `npm run build`: the figure Next 16 no longer prints.
for (const site of ['menu', 'driver'] as const) {
  console.log(`${site} /: first-load JS ${(firstLoadJsBytes(site) / 1024).toFixed(1)} kB gzip`)
}
