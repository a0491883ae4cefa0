/**
 * The one error type the portal layer throws: which REST method failed, the Bitrix24 error code
 * (`ACCESS_DENIED`, `NOT_FOUND`, `QUERY_LIMIT_EXCEEDED`, `NETWORK_ERROR` …), the HTTP status
 * (0 when no answer came), and whether repeating the call is safe.
 */
export class PortalError extends Error {
  override readonly name = 'PortalError'

  constructor(
    readonly method: string,
    readonly code: string,
    message: string,
    readonly status: number,
    /** True when a retry cannot do anything twice: a read, or a write the portal refused outright. */
    readonly retrySafe: boolean,
  ) {
    super(message || code)
  }
}

interface ErrorLike { code?: unknown, status?: unknown, message?: unknown, originalError?: { response?: { data?: { error?: unknown, error_description?: unknown } } } }

/**
 * Bitrix24 answers some methods with an empty or `"0"` error code (`crm.activity.add`, the
 * document generator); the SDK then reports axios' `ERR_BAD_REQUEST` and keeps the portal's
 * words only in the raw response. Recover them so the error says what the portal said.
 */
function portalWords(like: ErrorLike): { code: string, message: string } | null {
  const data = like.originalError?.response?.data
  if (!data || typeof data.error_description !== 'string' || data.error_description === '')
    return null
  const code = typeof data.error === 'string' && data.error !== '' && data.error !== '0' ? data.error : 'PORTAL_ERROR'
  return { code, message: data.error_description }
}

/** Codes after which a write certainly did not happen, so trying again cannot duplicate it. */
function portalRefused(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408
}

/**
 * Wraps anything the SDK threw or returned as an error. `idempotent` says whether the call was a
 * read or an idempotent write; a non-idempotent write that got no clear refusal is not retry-safe
 * (the portal may have done it before the connection dropped).
 */
export function toPortalError(method: string, error: unknown, idempotent: boolean): PortalError {
  if (error instanceof PortalError)
    return error
  const like = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike
  const status = typeof like.status === 'number' ? like.status : 0
  const recovered = like.code === 'ERR_BAD_REQUEST' ? portalWords(like) : null
  const code = recovered?.code ?? (typeof like.code === 'string' && like.code !== '' ? like.code : 'UNKNOWN_ERROR')
  const message = recovered?.message ?? (typeof like.message === 'string' ? like.message : String(error))
  return new PortalError(method, code, message, status, idempotent || portalRefused(status))
}
