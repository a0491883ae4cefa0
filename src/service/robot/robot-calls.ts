import type { UnattendedIssueResult } from '../../flows/unattended-issue.ts'
import type { ServiceLog } from '../service-log.ts'
import type { RobotCallRecord, ServiceStore } from '../store/service-store.ts'
import type { PortalSessions } from '../portal/portal-sessions.ts'
import type { RunUnattended } from '../service-env.ts'
import type { AnswerRetryPolicy, RobotAnswerState } from './robot-answer.ts'
import { recordJournal } from '../../flows/journal/record-journal.ts'
import { createTranslator } from '../../i18n/translate.ts'
import { loadPortalSettings } from '../portal/load-settings.ts'
import { sendRobotAnswer } from './issue-robot.ts'
import { answerRetryDelayMs, classifyAnswerFailure, DEFAULT_ANSWER_RETRY, mayAttemptAgain, readAnswerState } from './robot-answer.ts'

/** An `unknown` outcome (another run holds the invoice's lease) is retried this long before it is answered as is. */
const UNKNOWN_RETRY_MS = 15 * 60_000

function errorLine(error: unknown): string {
  if (error instanceof Error)
    return 'code' in error && typeof error.code === 'string' ? `${error.code}: ${error.message}` : error.message
  return String(error)
}

/**
 * The durable queue of robot calls: a call is persisted (unique by `event_token`) before Bitrix24
 * gets its 200, then run once — the issue chain — and its result stored (`answering`) before it is
 * handed to Bitrix24 with `bizproc.event.send`. A failed send is retried with backoff, never the
 * chain: the invoice and the e-mail are done. A refused token (the workflow ended) stops at once; a
 * send still failing after `policy.maxAttempts` attempts or `policy.giveUpAfterMs` is given up
 * (`failed`, with the reason), with a line in the service's log and an entry in the app's journal
 * for the deal. `resume()` (at start and every minute) runs every call not yet answered or given
 * up: a restart loses none, and the attempts counted before it go on counting.
 */
export function createRobotCallQueue(deps: { store: ServiceStore, sessions: PortalSessions, log: ServiceLog, run: RunUnattended, now: () => number, locale?: 'ru' | 'en', policy?: AnswerRetryPolicy }) {
  const policy = deps.policy ?? DEFAULT_ANSWER_RETRY
  const running = new Map<string, Promise<void>>()
  const dealChains = new Map<string, Promise<unknown>>()

  /** Runs jobs for one deal one after another: two robot calls for one deal never race in this process. */
  function serialize<T>(key: string, job: () => Promise<T>): Promise<T> {
    const previous = dealChains.get(key) ?? Promise.resolve()
    const next = previous.then(job, job)
    dealChains.set(key, next.catch(() => {}))
    return next
  }

  /** The app's journal entry for the deal: the robot's workflow did not get its answer. Never throws. */
  async function journalFailure(call: RobotCallRecord, state: RobotAnswerState, reasonKey: 'service.robotAnswerRefused' | 'service.robotAnswerGaveUp'): Promise<void> {
    try {
      const client = await deps.sessions.clientFor(call.memberId)
      if (!client)
        return
      const settings = await loadPortalSettings(client)
      const summary = createTranslator(deps.locale ?? 'ru').t(reasonKey, { attempts: state.attempts, outcome: state.outcome, invoice: state.accountNumber ?? String(state.invoiceId ?? '—') })
      const written = await recordJournal(client, settings, [{ action: 'process', result: 'failed', by: 'robot', dealId: call.dealId, invoiceId: state.invoiceId, summary, error: { code: 'ROBOT_NOT_ANSWERED', message: state.lastError ?? summary } }])
      if (written.status === 'failed')
        deps.log.warn('robot.answer.journal-failed', { memberId: call.memberId, dealId: call.dealId, error: written.error.message })
    }
    catch (error) {
      deps.log.warn('robot.answer.journal-failed', { memberId: call.memberId, dealId: call.dealId, error: errorLine(error) })
    }
  }

  async function giveUp(call: RobotCallRecord, state: RobotAnswerState, reason: string, reasonKey: 'service.robotAnswerRefused' | 'service.robotAnswerGaveUp'): Promise<void> {
    const failed: RobotAnswerState = { ...state, sending: false, reason }
    await deps.store.failRobotCall(call.eventToken, JSON.stringify(failed))
    deps.log.warn('robot.answer.failed', { memberId: call.memberId, dealId: call.dealId, outcome: state.outcome, invoiceId: state.invoiceId, attempts: state.attempts, reason, error: state.lastError })
    await journalFailure(call, failed, reasonKey)
  }

  /** One attempt to hand the stored result to Bitrix24, if one is due; the next step is stored before and after it. */
  async function answer(call: RobotCallRecord, stored: RobotAnswerState): Promise<void> {
    const now = deps.now()
    // Found `sending` after a restart: that attempt's fate is unknown, it may have reached Bitrix24.
    const state: RobotAnswerState = stored.sending ? { ...stored, sending: false, uncertain: true } : stored
    if (now < state.nextAttemptAtMs)
      return
    if (!mayAttemptAgain(state, policy, now)) {
      await giveUp(call, state, 'attempts-exhausted', 'service.robotAnswerGaveUp')
      return
    }
    const attempt: RobotAnswerState = { ...state, attempts: state.attempts + 1, firstAttemptAtMs: state.firstAttemptAtMs ?? now, sending: true }
    await deps.store.saveRobotAnswer(call.eventToken, JSON.stringify(attempt))
    const client = await deps.sessions.clientFor(call.memberId).catch(() => null)
    try {
      if (!client)
        throw new Error('The portal\'s tokens could not be read')
      await sendRobotAnswer(client, call.eventToken, { invoiceId: attempt.invoiceId, invoiceNumber: attempt.accountNumber, outcome: attempt.outcome, message: attempt.message })
    }
    catch (error) {
      const failure = classifyAnswerFailure(error)
      const after: RobotAnswerState = { ...attempt, sending: false, lastError: errorLine(error), uncertain: attempt.uncertain || (failure.kind === 'transient' && failure.uncertain) }
      if (failure.kind === 'token-refused' && attempt.uncertain) {
        // An earlier attempt got no answer and may have been taken: Bitrix24 no longer waits either way.
        await deps.store.finishRobotCall(call.eventToken, JSON.stringify({ ...after, reason: 'refused-after-unconfirmed-attempt' }))
        deps.log.warn('robot.answer.unconfirmed', { memberId: call.memberId, dealId: call.dealId, outcome: after.outcome, attempts: after.attempts, error: after.lastError })
        return
      }
      if (failure.kind === 'token-refused') {
        await giveUp(call, after, 'token-refused', 'service.robotAnswerRefused')
        return
      }
      if (failure.kind === 'refused' || !mayAttemptAgain(after, policy, deps.now())) {
        await giveUp(call, after, failure.kind === 'refused' ? 'request-refused' : 'attempts-exhausted', 'service.robotAnswerGaveUp')
        return
      }
      const delay = answerRetryDelayMs(after.attempts, policy)
      await deps.store.saveRobotAnswer(call.eventToken, JSON.stringify({ ...after, nextAttemptAtMs: deps.now() + delay }))
      deps.log.warn('robot.answer.retry', { memberId: call.memberId, dealId: call.dealId, attempts: after.attempts, maxAttempts: policy.maxAttempts, retryInSeconds: Math.round(delay / 1000), error: after.lastError })
      return
    }
    await deps.store.finishRobotCall(call.eventToken, JSON.stringify({ ...attempt, sending: false }))
    deps.log.info('robot.answered', { memberId: call.memberId, dealId: call.dealId, outcome: attempt.outcome, invoiceId: attempt.invoiceId, attempts: attempt.attempts })
  }

  /** Runs the chain for a call not yet run, stores its result (`answering`), then answers. */
  async function issue(call: RobotCallRecord): Promise<void> {
    const result = await serialize(`${call.memberId}:${call.dealId}`, () => deps.run(call.memberId, call.dealId, 'robot', `robot-${call.eventToken}`))
    if (!result)
      return
    if (result.outcome === 'unknown' && deps.now() - call.acceptedAtMs < UNKNOWN_RETRY_MS) {
      deps.log.info('robot.retry-later', { memberId: call.memberId, dealId: call.dealId, outcome: result.outcome })
      return
    }
    deps.log.info('robot.result', { memberId: call.memberId, dealId: call.dealId, outcome: result.outcome, invoiceId: result.invoiceId })
    const state = answerStateOf(result, deps.now())
    await deps.store.saveRobotAnswer(call.eventToken, JSON.stringify(state))
    await answer(call, state)
  }

  async function process(call: RobotCallRecord): Promise<void> {
    const stored = call.status === 'answering' ? readAnswerState(call.resultJson) : null
    if (stored) {
      await answer(call, stored)
      return
    }
    await issue(call)
  }

  /** Runs a call unless it is already running in this process; failures leave it for the next tick. */
  function run(call: RobotCallRecord): Promise<void> {
    const existing = running.get(call.eventToken)
    if (existing)
      return existing
    const job = process(call)
      .catch((error: unknown) => deps.log.warn('robot.pending', { memberId: call.memberId, dealId: call.dealId, error: errorLine(error) }))
      .finally(() => running.delete(call.eventToken))
    running.set(call.eventToken, job)
    return job
  }

  return {
    /**
     * Persists a verified call; 'accepted' calls start running in the background (the HTTP answer does
     * not wait for the chain), a 'duplicate' (Bitrix24 repeated the call) runs nothing new.
     */
    async accept(call: Omit<RobotCallRecord, 'status' | 'resultJson'>): Promise<'accepted' | 'duplicate'> {
      const outcome = await deps.store.acceptRobotCall(call)
      if (outcome === 'accepted')
        void run({ ...call, status: 'pending', resultJson: null })
      return outcome
    },
    /** Runs every call not yet answered or given up (answers only when their next attempt is due); resolves when they have been tried. */
    async resume(): Promise<void> {
      const pending = await deps.store.pendingRobotCalls()
      await Promise.all(pending.map(run))
    },
    /** Calls running now (tests wait for them). */
    idle: async () => { await Promise.all([...running.values()]) },
  }
}

/** The answer to send for a chain's result, before its first attempt. */
function answerStateOf(result: Pick<UnattendedIssueResult, 'outcome' | 'invoiceId' | 'accountNumber' | 'message'>, nowMs: number): RobotAnswerState {
  return { outcome: result.outcome, invoiceId: result.invoiceId, accountNumber: result.accountNumber, message: result.message, attempts: 0, firstAttemptAtMs: null, nextAttemptAtMs: nowMs, sending: false, uncertain: false, lastError: null }
}

export type RobotCallQueue = ReturnType<typeof createRobotCallQueue>
