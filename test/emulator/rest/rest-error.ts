/** A Bitrix24 REST error: `{ error, error_description }` with its HTTP status. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    /** Extra keys some methods add next to `error` (e.g. placement.bind's `argument`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${code}: ${description}`)
    this.name = 'RestError'
  }

  toBody(): Record<string, unknown> {
    return { error: this.code, error_description: this.description, ...this.extra }
  }
}

/** System errors (R: _includes/system-errors.md, settings/performance/limits.md, api-reference/rest-v3.md). */
export const systemErrors = {
  methodNotFound: () => new RestError(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!'),
  noAuthFound: () => new RestError(401, 'NO_AUTH_FOUND', 'Wrong authorization data'),
  expiredToken: () => new RestError(401, 'expired_token', 'The access token provided has expired'),
  insufficientScope: () => new RestError(403, 'insufficient_scope', 'The request requires higher privileges than provided by the webhook token'),
  queryLimitExceeded: () => new RestError(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'),
  operationTimeLimit: (method: string) => new RestError(429, 'OPERATION_TIME_LIMIT', `Method is blocked due to operation time limit. Method: ${method}`),
  batchLengthExceeded: () => new RestError(400, 'ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded'),
  batchMethodNotAllowed: () => new RestError(405, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage'),
  wrongAuthType: () => new RestError(403, 'WRONG_AUTH_TYPE', 'Current authorization type is denied for this method Application context required'),
  accessDenied: (description = 'Access denied!') => new RestError(403, 'ACCESS_DENIED', description),
  internal: (description = 'Internal server error') => new RestError(500, 'INTERNAL_SERVER_ERROR', description),
  /** Missing required parameter: the CRM methods' `100` / INVALID_ARG_VALUE family. */
  invalidArg: (description: string) => new RestError(400, 'INVALID_ARG_VALUE', description),
}
