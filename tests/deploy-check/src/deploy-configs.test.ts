import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CI_WORKFLOW, checkDeployConfigs } from './check-deploy-configs'
import { openRepo } from './repo'

const root = join(import.meta.dirname, '..', '..', '..')
const real = openRepo(root)
const original = (path: string) => real.read(path) ?? ''
/** The Node version CI tests, as .ci/run pins it. */
const nodeVersion = /^NODE_VERSION=(\S+)$/m.exec(original('.ci/run'))?.[1]
const testedMajor = Number(nodeVersion?.split('.')[0])

/** The problems found if one file said something else: the real repo with that file replaced. */
function problemsIf(path: string, edit: (text: string) => string): string[] {
  const text = original(path)
  const edited = edit(text)
  expect(edited, `the edit to ${path} changed nothing`).not.toBe(text)
  return checkDeployConfigs(openRepo(root, { [path]: edited }))
}

describe('deploy configs match the code', () => {
  it('render.yaml, vercel.json (read by both Vercel projects) and the CI workflow agree with package.json, turbo.json and the config module', () => {
    expect(checkDeployConfigs(real)).toEqual([])
  })
})

describe('drift is caught', () => {
  it('a misspelt npm script in the Render build command', () => {
    expect(problemsIf('render.yaml', (text) => text.replace('npm run build --', 'npm run bild --'))).toContainEqual(
      expect.stringMatching(
        /render\.yaml \(durable-delivery-worker\) buildCommand: .*no script "bild" in package\.json/,
      ),
    )
  })

  it('a Render start command that runs no compiled Worker', () => {
    expect(
      problemsIf('render.yaml', (text) => text.replace('apps/worker/dist/worker.js', 'apps/worker/dist/wroker.js')),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /startCommand: .*apps\/worker\/dist\/wroker\.js is neither in the repo nor built from a source file/,
        ),
        expect.stringMatching(
          /startCommand: runs `node apps\/worker\/dist\/wroker\.js`, but the Worker starts with `node apps\/worker\/dist\/worker\.js`/,
        ),
      ]),
    )
  })

  it('a build filter naming a package that does not exist', () => {
    expect(
      problemsIf('render.yaml', (text) =>
        text.replace('--filter=@durable-delivery/worker', '--filter=@durable-delivery/wrker'),
      ),
    ).toContainEqual(expect.stringMatching(/turbo --filter=@durable-delivery\/wrker names no workspace package/))
  })

  it('a variable the config module does not read, and one it reads left out', () => {
    const problems = problemsIf('render.yaml', (text) => text.replace('key: LOG_LEVEL', 'key: LOGLEVEL'))
    expect(problems).toContain(
      'render.yaml (durable-delivery-worker): sets LOGLEVEL, which the config module does not read',
    )
    expect(problems).toContain(
      'render.yaml (durable-delivery-worker): does not set LOG_LEVEL, which the config module reads',
    )
  })

  it('a payment ledger a deploy would lose: no persistent disk, or LEDGER_PATH off it', () => {
    expect(
      problemsIf('render.yaml', (text) => text.replace('value: /var/data/ledger.sqlite', 'value: .data/ledger.sqlite')),
    ).toEqual([
      'render.yaml (durable-delivery-worker): LEDGER_PATH (.data/ledger.sqlite) is not on the persistent disk mounted at /var/data; a deploy would lose the ledger',
    ])
    expect(problemsIf('render.yaml', (text) => text.replace(/\n {4}disk:\n( {6}.*\n)+/, '\n'))).toEqual([
      'render.yaml (durable-delivery-worker): has no persistent disk for the simulated payment ledger (LEDGER_PATH); a deploy would lose it',
    ])
  })

  it('a value the Worker would refuse at startup', () => {
    expect(problemsIf('render.yaml', (text) => text.replace('value: json', 'value: xml'))).toContain(
      'render.yaml (durable-delivery-worker): LOG_FORMAT: expected "json" or "pretty" (got "xml")',
    )
  })

  it('a simulated restaurant the Worker would refuse, or left unset', () => {
    expect(
      problemsIf('render.yaml', (text) =>
        text.replace("key: RESTAURANT_SOLD_OUT\n        value: ''", "key: RESTAURANT_SOLD_OUT\n        value: '99'"),
      ),
    ).toContain('render.yaml (durable-delivery-worker): RESTAURANT_SOLD_OUT: no dish 99 on the menu (got "99")')
    expect(problemsIf('render.yaml', (text) => text.replace('key: RESTAURANT_MODE', 'key: KITCHEN_MODE'))).toContain(
      'render.yaml (durable-delivery-worker): does not set RESTAURANT_MODE, which the config module reads',
    )
  })

  it('a secret given a value in the repo', () => {
    expect(
      problemsIf('render.yaml', (text) =>
        text.replace(/key: TEMPORAL_API_KEY\n(\s+)sync: false/, 'key: TEMPORAL_API_KEY\n$1value: abc'),
      ),
    ).toContain('render.yaml (durable-delivery-worker): TEMPORAL_API_KEY is a secret: give it no value and sync: false')
  })

  it('a grace time Render would cut short', () => {
    expect(
      problemsIf('render.yaml', (text) => text.replace('maxShutdownDelaySeconds: 60', 'maxShutdownDelaySeconds: 20')),
    ).toContainEqual(
      expect.stringMatching(/SHUTDOWN_GRACE_TIME \(30000 ms\) must be shorter than maxShutdownDelaySeconds \(20 s\)/),
    )
  })

  it('a Node version outside engines, or different in CI and production', () => {
    const problems = problemsIf('render.yaml', (text) => text.replace(/value: 24\.\d+\.\d+/, 'value: 18.20.4'))
    expect(problems).toContainEqual(
      expect.stringMatching(/render\.yaml NODE_VERSION: 18\.20\.4 does not satisfy engines\.node/),
    )
    expect(problems).toContainEqual(
      expect.stringMatching(/Node versions differ: .*render\.yaml NODE_VERSION 18\.20\.4/),
    )
  })

  it('a .ci/run that tests another Node than the GitHub workflow', () => {
    expect(
      problemsIf('.ci/run', (text) => text.replace(/^NODE_VERSION=24\.\d+\.\d+$/m, 'NODE_VERSION=24.0.0')),
    ).toEqual([
      `Node versions differ: .ci/run NODE_VERSION 24.0.0, render.yaml NODE_VERSION ${nodeVersion}, ${CI_WORKFLOW} setup-node node-version ${nodeVersion}`,
    ])
  })

  it('engines that let Vercel run a newer Node than CI tests', () => {
    expect(problemsIf('package.json', (text) => text.replace(/"node": "[^"]+"/, '"node": ">=22.13.0"'))).toEqual([
      `package.json engines.node ">=22.13.0" allows Node ${testedMajor + 1} or later, which Vercel would run; CI tests ${testedMajor}`,
    ])
  })

  it('a top-level vercel.json that builds one site for both projects', () => {
    const problems = problemsIf('vercel.json', (text) =>
      text.replace('"npx turbo run build"', '"npx turbo run build --filter=@durable-delivery/menu"'),
    )
    expect(problems).toContainEqual(
      expect.stringMatching(/^vercel\.json \(apps\/driver\) buildCommand: does not build @durable-delivery\/driver/),
    )
    expect(problems.filter((problem) => problem.includes('does not build'))).toHaveLength(1)
  })

  it('a build command that leaves the site folder before running turbo', () => {
    expect(
      problemsIf('vercel.json', (text) => text.replace('"npx turbo run build"', '"cd ../.. && npx turbo run build"')),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^vercel\.json \(apps\/menu\) buildCommand: does not build @durable-delivery\/menu/),
        expect.stringMatching(/^vercel\.json \(apps\/driver\) buildCommand: does not build @durable-delivery\/driver/),
      ]),
    )
  })

  it('a misspelt turbo task in the top-level build command', () => {
    expect(
      problemsIf('vercel.json', (text) => text.replace('npx turbo run build', 'npx turbo run bild')),
    ).toContainEqual(
      expect.stringMatching(
        /^vercel\.json \(apps\/menu\) buildCommand: `npx turbo run bild`: no turbo task "bild" in turbo\.json/,
      ),
    )
  })

  it('an install command that does not reach the repo root', () => {
    expect(
      problemsIf('vercel.json', (text) => text.replace('cd ../.. && npm ci', 'cd ../../.. && npm ci')),
    ).toContainEqual(
      expect.stringMatching(
        /^vercel\.json \(apps\/menu\) installCommand: `npm ci --no-audit --no-fund`: no package\.json in \.\./,
      ),
    )
  })

  it('an output directory Next.js does not build into, or turbo does not cache', () => {
    const problems = problemsIf('vercel.json', (text) =>
      text.replace('"outputDirectory": ".next"', '"outputDirectory": "out"'),
    )
    expect(problems).toContain('vercel.json (apps/menu) outputDirectory: out, but Next.js builds apps/menu into .next')
    expect(problems).toContainEqual(
      expect.stringMatching(/^vercel\.json outputDirectory: turbo\.json's build task does not list "out\/\*\*"/),
    )
  })

  it('a site whose vercel.json is no longer the top-level one', () => {
    expect(
      problemsIf('apps/driver/vercel.json', (text) => text.replace('"maxDuration": 30', '"maxDuration": 60')),
    ).toContainEqual(expect.stringMatching(/^apps\/driver\/vercel\.json: differs from vercel\.json; make it a link/))
  })

  it('environment variables or services in vercel.json', () => {
    const problems = problemsIf('vercel.json', (text) =>
      text.replace('"regions"', '"env": { "TEMPORAL_ADDRESS": "x:7233" },\n  "services": {},\n  "regions"'),
    )
    expect(problems).toContainEqual(
      expect.stringMatching(/^vercel\.json: set environment variables in the Vercel projects/),
    )
    expect(problems).toContainEqual(expect.stringMatching(/^vercel\.json: services deploy several apps as one project/))
  })

  it('a Vercel functions pattern that matches no API route', () => {
    expect(problemsIf('vercel.json', (text) => text.replace('pages/api/**/*.ts', 'src/pages/api/**/*.ts'))).toContain(
      'vercel.json (apps/driver): functions pattern src/pages/api/**/*.ts matches no file (Vercel fails the deploy)',
    )
  })

  it('a CI step running a script that does not exist', () => {
    expect(problemsIf(CI_WORKFLOW, (text) => text.replace('npm run typecheck --', 'npm run type-check --'))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/ci\.yml \(test\): .*no script "type-check" in package\.json/),
        expect.stringMatching(
          /ci\.yml: does not run `npm run typecheck -- --output-logs=errors-only`, which \.ci\/run runs/,
        ),
      ]),
    )
  })

  it('a step .ci/run now runs with other arguments', () => {
    expect(
      problemsIf('.ci/run', (text) => text.replace(/^npm test -- .*$/m, 'npm test -- -- --reporter=verbose')),
    ).toContain(`${CI_WORKFLOW}: does not run \`npm test -- -- --reporter=verbose\`, which .ci/run runs`)
  })

  it('a step .ci/run gained that the CI workflow lacks', () => {
    expect(
      problemsIf('.ci/run', (text) => `${text}\nnpm run typecheck\nnode scripts/no-node-builtins.mjs src\n`),
    ).toContain(`${CI_WORKFLOW}: does not run \`node scripts/no-node-builtins.mjs src\`, which .ci/run runs`)
  })

  it('a CI workflow without the replay job', () => {
    expect(
      problemsIf(CI_WORKFLOW, (text) =>
        text.replace('npx vitest run src/replay.test.ts', 'npx vitest run src/order.test.ts'),
      ),
    ).toContain(
      `${CI_WORKFLOW}: no step replays the committed histories (vitest run src/replay.test.ts in packages/workflows)`,
    )
  })

  it('a variable .env.example leaves undocumented', () => {
    expect(problemsIf('.env.example', (text) => text.replace(/^SHUTDOWN_GRACE_TIME=.*$/m, ''))).toContain(
      '.env.example: does not document SHUTDOWN_GRACE_TIME',
    )
  })

  it('a Vercel setup that leaves out a sign-in variable the sites read', () => {
    expect(
      problemsIf('docs/operations.md', (text) => text.replace(/^vercel env add SESSION_SECRET .*$/m, '')),
    ).toContain(
      'docs/operations.md: the Vercel setup does not set SESSION_SECRET (`vercel env add SESSION_SECRET`), which the sites read',
    )
  })
})
