import { PortalError } from '../../portal/portal-error.ts'

/**
 * How long the service keeps trying to hand a robot its answer (`bizproc.event.send`). README «The
 * Invoice Desk service» › «When the robot cannot be answered».
 */
export interface AnswerRetryPolicy {
  /** Attempts in all, the first included (`INVOICE_DESK_ANSWER_ATTEMPTS`, default 8). */
  readonly maxAttempts: number
  /** Wait after the first failed attempt; doubled after each further one (`INVOICE_DESK_ANSWER_RETRY_SECONDS`, default 30 s). */
  readonly firstDelayMs: number
  /** The longest wait between two attempts (15 minutes). */
  readonly maxDelayMs: number
  /** No attempt is made this long after the first one (24 hours). */
  readonly giveUpAfterMs: number
}

export const DEFAULT_ANSWER_RETRY: AnswerRetryPolicy = { maxAttempts: 8, firstDelayMs: 30_000, maxDelayMs: 15 * 60_000, giveUpAfterMs: 24 * 3_600_000 }

/**
 * A robot call's answer as the store keeps it (`robot_calls.result_json`) from the moment the chain
 * had its result: what is sent, and how the attempts went. Persisted before each attempt, so a
 * restart goes on with the count instead of starting a fresh one.
 */
export interface RobotAnswerState {
  readonly outcome: string
  readonly invoiceId: number | null
  readonly accountNumber: string | null
  /** The line for the workflow's log. */
  readonly message: string
  /** Attempts started so far. */
  readonly attempts: number
  readonly firstAttemptAtMs: number | null
  /** Not before this instant (ms since the epoch) is the next attempt made. */
  readonly nextAttemptAtMs: number
  /** True while an attempt is under way: found true after a restart, that attempt's fate is unknown. */
  readonly sending: boolean
  /** An earlier attempt may have reached Bitrix24 (no answer came back). */
  readonly uncertain: boolean
  /** The last failure, `CODE: words`, or null. */
  readonly lastError: string | null
  /** Why the call was given up (status `failed`), or why its end is unconfirmed (status `done`). */
  readonly reason?: string
}

/** What a failed `bizproc.event.send` means for the next step. */
export type AnswerFailure
  /** Bitrix24 no longer waits for this token (ACCESS_DENIED: unknown, expired, already answered, the workflow ended): stop at once. */
  = | { readonly kind: 'token-refused' }
  /** Bitrix24 refused the request itself (another 4xx): repeating it cannot help. */
    | { readonly kind: 'refused' }
  /** No answer or a passing failure (network, timeout, 5xx, limits): try again later; `uncertain` when the portal may have taken it. */
    | { readonly kind: 'transient', readonly uncertain: boolean }

/**
 * Reads a `bizproc.event.send` failure (R: api-reference/bizproc/bizproc-robot/bizproc-event-send.md:
 * "If the token is invalid or expired, the method will return an access error ACCESS_DENIED"). A
 * repeat is safe: the token answers one workflow step once, so a second send that arrives after a
 * first one was taken is refused with ACCESS_DENIED and changes nothing.
 */
export function classifyAnswerFailure(error: unknown): AnswerFailure {
  if (!(error instanceof PortalError))
    return { kind: 'transient', uncertain: false }
  if (error.code === 'ACCESS_DENIED')
    return { kind: 'token-refused' }
  if (error.status === 0)
    return { kind: 'transient', uncertain: true }
  if (error.status === 401 || error.status === 429 || error.status === 503 || error.code === 'QUERY_LIMIT_EXCEEDED' || error.code === 'OPERATION_TIME_LIMIT')
    return { kind: 'transient', uncertain: false }
  if (error.status >= 500 || error.status === 408)
    return { kind: 'transient', uncertain: true }
  return { kind: 'refused' }
}

/** The wait after the `attempts`-th failed attempt: the first delay doubled per attempt, capped. */
export function answerRetryDelayMs(attempts: number, policy: AnswerRetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, attempts - 1))
}

/** Whether another attempt may be made after `state`'s, at `nowMs`. */
export function mayAttemptAgain(state: RobotAnswerState, policy: AnswerRetryPolicy, nowMs: number): boolean {
  return state.attempts < policy.maxAttempts && (state.firstAttemptAtMs === null || nowMs - state.firstAttemptAtMs < policy.giveUpAfterMs)
}

/** Reads the stored state; null for a result stored by an older version (no attempts). */
export function readAnswerState(json: string | null): RobotAnswerState | null {
  if (!json)
    return null
  try {
    const value = JSON.parse(json) as Partial<RobotAnswerState>
    if (typeof value.outcome !== 'string' || typeof value.attempts !== 'number')
      return null
    return {
      outcome: value.outcome,
      invoiceId: typeof value.invoiceId === 'number' ? value.invoiceId : null,
      accountNumber: typeof value.accountNumber === 'string' ? value.accountNumber : null,
      message: typeof value.message === 'string' ? value.message : '',
      attempts: value.attempts,
      firstAttemptAtMs: typeof value.firstAttemptAtMs === 'number' ? value.firstAttemptAtMs : null,
      nextAttemptAtMs: typeof value.nextAttemptAtMs === 'number' ? value.nextAttemptAtMs : 0,
      sending: value.sending === true,
      uncertain: value.uncertain === true,
      lastError: typeof value.lastError === 'string' ? value.lastError : null,
      ...(typeof value.reason === 'string' ? { reason: value.reason } : {}),
    }
  }
  catch {
    return null
  }
}
