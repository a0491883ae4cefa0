import type { UnattendedIssueResult } from '../../flows/unattended-issue.ts'
import type { ServiceLog } from '../service-log.ts'
import type { RobotCallRecord, ServiceStore } from '../store/service-store.ts'
import type { PortalSessions } from '../portal/portal-sessions.ts'
import type { RunUnattended } from '../service-env.ts'
import { PortalError } from '../../portal/portal-error.ts'
import { sendRobotAnswer } from './issue-robot.ts'

/** An `unknown` outcome (another run holds the invoice's lease) is retried this long before it is answered as is. */
const UNKNOWN_RETRY_MS = 15 * 60_000

/**
 * The durable queue of robot calls: a call is persisted (unique by `event_token`) before Bitrix24
 * gets its 200, then run once — the issue chain, then `bizproc.event.send` — and marked done only
 * after the answer was accepted. `resume()` (at start and on every tick) runs every accepted and
 * unanswered call: a restart loses none, and the chain, keyed by the deal, never issues twice.
 */
export function createRobotCallQueue(deps: { store: ServiceStore, sessions: PortalSessions, log: ServiceLog, run: RunUnattended, now: () => number }) {
  const running = new Map<string, Promise<void>>()
  const dealChains = new Map<string, Promise<unknown>>()

  /** Runs jobs for one deal one after another: two robot calls for one deal never race in this process. */
  function serialize<T>(key: string, job: () => Promise<T>): Promise<T> {
    const previous = dealChains.get(key) ?? Promise.resolve()
    const next = previous.then(job, job)
    dealChains.set(key, next.catch(() => {}))
    return next
  }

  async function answer(call: RobotCallRecord, result: Pick<UnattendedIssueResult, 'outcome' | 'invoiceId' | 'accountNumber' | 'message'>): Promise<void> {
    const client = await deps.sessions.clientFor(call.memberId)
    if (!client)
      return
    try {
      await sendRobotAnswer(client, call.eventToken, { invoiceId: result.invoiceId, invoiceNumber: result.accountNumber, outcome: result.outcome, message: result.message })
    }
    catch (error) {
      // ACCESS_DENIED: Bitrix24 no longer waits for this token (answered before, or the workflow ended).
      if (!(error instanceof PortalError && error.code === 'ACCESS_DENIED'))
        throw error
      deps.log.warn('robot.answer.refused', { memberId: call.memberId, dealId: call.dealId, code: error.code })
    }
    await deps.store.finishRobotCall(call.eventToken, JSON.stringify({ outcome: result.outcome, invoiceId: result.invoiceId, accountNumber: result.accountNumber }))
    deps.log.info('robot.answered', { memberId: call.memberId, dealId: call.dealId, outcome: result.outcome, invoiceId: result.invoiceId })
  }

  async function process(call: RobotCallRecord): Promise<void> {
    const result = await serialize(`${call.memberId}:${call.dealId}`, () => deps.run(call.memberId, call.dealId, 'robot', `robot-${call.eventToken}`))
    if (!result)
      return
    if (result.outcome === 'unknown' && deps.now() - call.acceptedAtMs < UNKNOWN_RETRY_MS) {
      deps.log.info('robot.retry-later', { memberId: call.memberId, dealId: call.dealId, outcome: result.outcome })
      return
    }
    await answer(call, result)
  }

  /** Runs a call unless it is already running in this process; failures leave it pending for the next tick. */
  function run(call: RobotCallRecord): Promise<void> {
    const existing = running.get(call.eventToken)
    if (existing)
      return existing
    const job = process(call)
      .catch((error: unknown) => deps.log.warn('robot.pending', { memberId: call.memberId, dealId: call.dealId, error: error instanceof Error ? error.message : String(error) }))
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
    /** Runs every accepted, unanswered call; resolves when they have been tried. */
    async resume(): Promise<void> {
      const pending = await deps.store.pendingRobotCalls()
      await Promise.all(pending.map(run))
    },
    /** Calls running now (tests wait for them). */
    idle: async () => { await Promise.all([...running.values()]) },
  }
}

export type RobotCallQueue = ReturnType<typeof createRobotCallQueue>
