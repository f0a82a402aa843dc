/** An API served over HTTP (a site's `/api`, or the tRPC standalone server the bad-input suite starts). */
export interface HttpApi {
  url: string
  close(): Promise<void>
  /** Cookies the server set, sent back on each call, as a browser keeps them (name to value). */
  cookies?: Map<string, string>
}

export interface ApiAnswer {
  status: number
  /** The tRPC error code ('BAD_REQUEST', ...) of a failed call. */
  code?: string
  message?: string
  /** Per-field sentences of a failed input validation (the API's error formatter). */
  fieldErrors?: Record<string, string[] | undefined>
  /** The decoded result of a successful call. */
  data?: unknown
}

/**
 * Calls `path` the way @trpc/client does without batching: a query as GET with `?input=`, a
 * mutation as POST with a JSON body, both plain JSON (the API has no transformer). `raw` sends
 * the text as it is. Like a page of the site, it sends the site's Origin (`origin: null` sends
 * none, or give another) and keeps the cookies the server sets when `api.cookies` is there.
 */
export async function callApi(
  api: HttpApi,
  path: string,
  options: { method: 'GET' | 'POST'; input?: unknown; raw?: string; origin?: string | null },
): Promise<ApiAnswer> {
  const encoded = options.raw ?? (options.input === undefined ? undefined : JSON.stringify(options.input))
  const url = new URL(`${api.url}/${path}`)
  if (options.method === 'GET' && encoded !== undefined) url.searchParams.set('input', encoded)
  const headers: Record<string, string> = {}
  const origin = options.origin === undefined ? url.origin : options.origin
  if (origin !== null) headers.origin = origin
  if (api.cookies?.size) headers.cookie = [...api.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  if (options.method === 'POST' && encoded !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(url, {
    method: options.method,
    headers,
    ...(options.method === 'POST' && encoded !== undefined ? { body: encoded } : {}),
  })
  for (const cookie of response.headers.getSetCookie()) {
    const [pair = ''] = cookie.split(';')
    const at = pair.indexOf('=')
    if (api.cookies && at > 0) api.cookies.set(pair.slice(0, at), pair.slice(at + 1))
  }
  const text = await response.text()
  let body: { result?: { data?: unknown }; error?: unknown } | undefined
  try {
    body = JSON.parse(text) as typeof body
  } catch {
    return { status: response.status, message: text }
  }
  if (body?.error) {
    const error = body.error as {
      message?: string
      data?: { code?: string; zodError?: { fieldErrors?: Record<string, string[]> } | null }
    }
    return {
      status: response.status,
      code: error.data?.code,
      message: error.message,
      fieldErrors: error.data?.zodError?.fieldErrors,
    }
  }
  return { status: response.status, data: body?.result?.data }
}
