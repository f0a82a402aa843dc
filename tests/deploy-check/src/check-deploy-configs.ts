import semver from 'semver'
import { CI_WORKFLOW, checkCi } from './check-ci'
import { checkRender } from './check-render'
import { checkSiteVariables, checkVercel } from './check-vercel'
import { readPackage, type Repo } from './repo'
import { checkEnvExample } from './variables'

export { CI_WORKFLOW } from './check-ci'

/** The Node version .ci/run installs (its `NODE_VERSION=x.y.z` line). */
function ciRunNodeVersion(repo: Repo): string | undefined {
  return /^NODE_VERSION=(\S+)$/m.exec(repo.read('.ci/run') ?? '')?.[1]
}

/**
 * Everything that would make a deploy config disagree with the code, one line each; empty when
 * render.yaml, the Vercel projects and the CI workflow all match it.
 */
export function checkDeployConfigs(repo: Repo): string[] {
  const render = checkRender(repo)
  const ci = checkCi(repo)
  const problems = [
    ...render.problems,
    ...ci.problems,
    ...checkVercel(repo),
    ...checkSiteVariables(repo),
    ...checkEnvExample(repo),
  ]
  const engines = readPackage(repo, '.')?.engines?.node
  if (!engines) problems.push('package.json: no engines.node to check Node versions against')
  const pinned = [
    ['.ci/run NODE_VERSION', ciRunNodeVersion(repo)],
    ['render.yaml NODE_VERSION', render.nodeVersion],
    [`${CI_WORKFLOW} setup-node node-version`, ci.nodeVersion],
  ] as const
  for (const [where, version] of pinned) {
    if (!version) problems.push(`${where}: not set`)
    else if (!semver.valid(version))
      problems.push(`${where}: "${version}" is not an exact version (x.y.z), so CI and production could differ`)
    else if (engines && !semver.satisfies(version, engines))
      problems.push(`${where}: ${version} does not satisfy engines.node "${engines}"`)
  }
  const versions = pinned.filter(([, version]) => version)
  if (new Set(versions.map(([, version]) => version)).size > 1)
    problems.push(`Node versions differ: ${versions.map(([where, version]) => `${where} ${version}`).join(', ')}`)
  // Vercel runs the newest Node major that engines.node allows: none above the one CI tests.
  const tested = semver.valid(ci.nodeVersion ?? '') ? semver.major(ci.nodeVersion!) : undefined
  if (engines && tested !== undefined && semver.validRange(engines) && semver.intersects(engines, `>=${tested + 1}`))
    problems.push(
      `package.json engines.node "${engines}" allows Node ${tested + 1} or later, which Vercel would run; CI tests ${tested}`,
    )
  return problems
}
