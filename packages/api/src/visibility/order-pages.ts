import type { Client, WorkflowExecutionInfo } from '@temporalio/client'
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers'

export interface ExecutionPage {
  executions: WorkflowExecutionInfo[]
  /** Visibility's own page token (base64url), absent on the last page. */
  nextPageToken?: string
}

/**
 * One page of a visibility query, with the page token Temporal answers: the caller pages by
 * cursor instead of re-reading from the top (the SDK's `workflow.list` iterates every page and
 * hands out no token). Newest first: SQL and Temporal Cloud visibility have no ORDER BY.
 */
export async function listExecutionPage(
  client: Client,
  query: string,
  pageSize: number,
  pageToken?: string,
): Promise<ExecutionPage> {
  const { namespace, loadedDataConverter } = client.options
  const response = await client.workflowService.listWorkflowExecutions({
    namespace,
    query,
    pageSize,
    nextPageToken: pageToken === undefined ? undefined : Buffer.from(pageToken, 'base64url'),
  })
  const executions = await Promise.all(
    response.executions.map((raw) => executionInfoFromRaw(raw, loadedDataConverter, raw, namespace)),
  )
  const token = response.nextPageToken
  return {
    executions,
    ...(token && token.length > 0 ? { nextPageToken: Buffer.from(token).toString('base64url') } : {}),
  }
}

/**
 * Every execution a query matches, page after page (for sets the query keeps small, like Paid
 * orders). Each page has its own deadline instead of the caller's: a large set can outlast one
 * request's deadline (SQL visibility reads about 2,000 rows a second here, docs/benchmarks.md),
 * and a read shared by every request of the process (SharedRead) outlives the first one anyway.
 */
export async function listAllExecutions(
  client: Client,
  query: string,
  pageDeadlineMs: number,
  pageSize = 1_000,
): Promise<WorkflowExecutionInfo[]> {
  const all: WorkflowExecutionInfo[] = []
  let token: string | undefined
  do {
    const page = await client.connection.withDeadline(Date.now() + pageDeadlineMs, () =>
      listExecutionPage(client, query, pageSize, token),
    )
    all.push(...page.executions)
    token = page.nextPageToken
  } while (token !== undefined)
  return all
}

/** A value for a visibility query's string literal; ids are checked against their patterns first, this is the last guard. */
export function queryString(value: string): string {
  if (/['"\\]/.test(value)) throw new Error('A visibility query value must not contain quotes or backslashes')
  return `'${value}'`
}
