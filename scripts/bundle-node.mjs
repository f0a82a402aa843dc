#!/usr/bin/env node
// Builds what Node runs (the Worker, the CLIs) from TypeScript source: one ES module per entry
// point in dist/. Our workspace packages export source, so they are compiled into the bundle;
// every other package stays an import resolved from node_modules at run time (native addons
// such as better-sqlite3 and the Temporal SDK's core bridge cannot be bundled).
// Usage: node scripts/bundle-node.mjs src/a.ts [src/b.ts ...]   (run from the workspace folder)
import { build } from 'esbuild'

const entryPoints = process.argv.slice(2)
if (entryPoints.length === 0) {
  console.error('Usage: bundle-node.mjs <entry.ts> [...]')
  process.exit(2)
}

/** @type {import('esbuild').Plugin} */
const externalDependencies = {
  name: 'external-dependencies',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@durable-delivery/') ? undefined : { path: args.path, external: true },
    )
  },
}

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [externalDependencies],
})
