import semver from 'semver'
import { CI_WORKFLOW, checkCi } from './check-ci'
import { checkRender } from './check-render'
import { checkSiteVariables, checkVercel } from './check-vercel'
import { readPackage, type Repo } from './repo'
import { checkEnvExample } from './variables'

export { CI_WORKFLOW } from './check-ci'

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
  for (const [where, version] of [
    ['render.yaml NODE_VERSION', render.nodeVersion],
    [`${CI_WORKFLOW} setup-node node-version`, ci.nodeVersion],
  ] as const) {
    if (!version) problems.push(`${where}: not set`)
    else if (!semver.valid(version))
      problems.push(`${where}: "${version}" is not an exact version (x.y.z), so CI and production could differ`)
    else if (engines && !semver.satisfies(version, engines))
      problems.push(`${where}: ${version} does not satisfy engines.node "${engines}"`)
  }
  if (render.nodeVersion && ci.nodeVersion && render.nodeVersion !== ci.nodeVersion) {
    problems.push(`Node versions differ: render.yaml ${render.nodeVersion}, ${CI_WORKFLOW} ${ci.nodeVersion}`)
  }
  return problems
}
