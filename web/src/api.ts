// The JSON API under /api/v1: one fetch wrapper, errors as ApiError (status, code, the field
// the server named, its message).

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string = '',
    readonly body: unknown = null,
    /** Seconds to wait before trying again (HTTP Retry-After), 0 when not said. */
    readonly retryAfter: number = 0,
    /** What the message says as a code with parameters, rendered through the locale files. */
    readonly reason: string = '',
    readonly params: Record<string, string> = {},
  ) {
    super(message)
  }
}

export interface Page<T> {
  items: T[]
  total: number
  next_cursor?: string | null
}

// Called when the server says the session is over (401), to send the user to the login page.
let onUnauthenticated: () => void = () => {}
export function setUnauthenticatedHandler(fn: () => void) {
  onUnauthenticated = fn
}

export type Query = Record<string, string | number | boolean | undefined | null>

export function queryString(q: Query = {}): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v))
  }
  const s = p.toString()
  return s ? `?${s}` : ''
}

/** The session's CSRF token, from the cookie the server set at log-in (empty when logged out). */
export function csrfToken(): string {
  const m = document.cookie.match(/(?:^|;\s*)jobaid_csrf=([^;]*)/)
  return m ? decodeURIComponent(m[1]) : ''
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  query?: Query,
): Promise<T> {
  const headers: Record<string, string> = {}
  // Every request that may change something proves it comes from our own pages.
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken()
  const init: RequestInit = { method, credentials: 'same-origin', headers }
  if (body instanceof Blob || body instanceof ArrayBuffer) {
    init.body = body
  } else if (body !== undefined) {
    init.body = JSON.stringify(body)
    ;(init.headers as Record<string, string>)['Content-Type'] = 'application/json'
  }
  let res: Response
  try {
    res = await fetch(`/api/v1${path}${queryString(query)}`, init)
  } catch {
    throw new ApiError(0, 'NETWORK', 'network')
  }
  const text = await res.text()
  let data: unknown = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = text
    }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; field?: string; reason?: string; params?: Record<string, string> } })?.error
    if (res.status === 401 && !path.startsWith('/auth/login')) onUnauthenticated()
    throw new ApiError(res.status, err?.code ?? String(res.status), err?.message ?? res.statusText,
      err?.field ?? '', data, Number(res.headers.get('Retry-After') ?? 0) || 0, err?.reason ?? '', err?.params ?? {})
  }
  return data as T
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, body, query),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  del: <T>(path: string, body: unknown) => request<T>('DELETE', path, body),
}

// The address of a download (export, template) for an <a href>.
export function downloadUrl(path: string, query?: Query): string {
  return `/api/v1${path}${queryString(query)}`
}
