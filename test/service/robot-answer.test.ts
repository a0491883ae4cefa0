import { describe, expect, it } from 'vitest'
import { PortalError } from '../../src/portal/portal-error.ts'
import { answerRetryDelayMs, classifyAnswerFailure, DEFAULT_ANSWER_RETRY, mayAttemptAgain, readAnswerState } from '../../src/service/robot/robot-answer.ts'

const error = (code: string, status: number) => new PortalError('bizproc.event.send', code, code, status, false)

describe('service/robot/robot-answer', () => {
  it('stops at once on a refused token or request, and retries only what got no answer or a passing error', () => {
    expect(classifyAnswerFailure(error('ACCESS_DENIED', 403))).toEqual({ kind: 'token-refused' })
    expect(classifyAnswerFailure(error('ERROR_ARGUMENT', 400))).toEqual({ kind: 'refused' })
    expect(classifyAnswerFailure(error('insufficient_scope', 403))).toEqual({ kind: 'refused' })
    expect(classifyAnswerFailure(error('ECONNRESET', 0))).toEqual({ kind: 'transient', uncertain: true })
    expect(classifyAnswerFailure(error('INTERNAL_SERVER_ERROR', 500))).toEqual({ kind: 'transient', uncertain: true })
    expect(classifyAnswerFailure(error('QUERY_LIMIT_EXCEEDED', 503))).toEqual({ kind: 'transient', uncertain: false })
    expect(classifyAnswerFailure(error('expired_token', 401))).toEqual({ kind: 'transient', uncertain: false })
    expect(classifyAnswerFailure(new Error('The OAuth server did not answer in 30 s'))).toEqual({ kind: 'transient', uncertain: false })
  })

  it('doubles the wait up to its cap and allows a bounded number of attempts within the time limit', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(n => answerRetryDelayMs(n, DEFAULT_ANSWER_RETRY) / 1000)).toEqual([30, 60, 120, 240, 480, 900, 900])
    const state = readAnswerState(JSON.stringify({ outcome: 'issued', attempts: 7, firstAttemptAtMs: 0 }))!
    expect(mayAttemptAgain(state, DEFAULT_ANSWER_RETRY, 1000)).toBe(true)
    expect(mayAttemptAgain({ ...state, attempts: 8 }, DEFAULT_ANSWER_RETRY, 1000)).toBe(false)
    expect(mayAttemptAgain(state, DEFAULT_ANSWER_RETRY, DEFAULT_ANSWER_RETRY.giveUpAfterMs)).toBe(false)
    expect(readAnswerState('{"outcome":"issued","invoiceId":5}')).toBeNull()
    expect(readAnswerState('not json')).toBeNull()
  })
})
