#!/usr/bin/env node
// Lint for workflow code: it runs in a deterministic sandbox without Node's built-in modules,
// so importing one (fs, crypto, ...) must fail in review, not at bundle time in the Worker.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join } from 'node:path'

const root = process.argv[2] ?? 'src'
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]))
const importPattern =
  /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yield* files(path)
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) yield path
  }
}

let problems = 0
for (const file of files(root)) {
  const source = readFileSync(file, 'utf8')
  for (const match of source.matchAll(importPattern)) {
    const specifier = match[1] ?? match[2] ?? match[3] ?? match[4]
    if (specifier && (builtins.has(specifier) || builtins.has(specifier.split('/')[0]))) {
      const line = source.slice(0, match.index).split('\n').length
      console.error(`${file}:${line}: workflow code must not import the Node built-in '${specifier}'`)
      problems++
    }
  }
}
process.exit(problems === 0 ? 0 : 1)
