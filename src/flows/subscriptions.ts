import type { Locale } from '../domain/format.ts'
import type { PortalClock } from '../domain/portal-clock.ts'
import type { SubscriptionPlan } from '../domain/subscription/plan-subscription.ts'
import type { SubscriptionPeriod } from '../domain/subscription/subscription-period.ts'
import type { SubscriptionSchedule } from '../domain/subscription/subscription-schedule.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { DealSubscription } from '../portal/subscription/subscription-read.ts'
import type { Stage } from '../domain/stage.ts'
import type { IssueEnvironment, IssueResult } from './issue-and-send.ts'
import { portalClockOf } from '../domain/portal-clock.ts'
import { planSubscription } from '../domain/subscription/plan-subscription.ts'
import { indexStages } from '../domain/stage.ts'
import { periodLabel, scheduleSetSentence, scheduleStoppedSentence } from '../domain/subscription/subscription-messages.ts'
import { readDealSubscription } from '../portal/subscription/subscription-read.ts'
import { writeSubscriptionRecord } from '../portal/subscription/subscription-log.ts'
import { prepareIssue, runIssue } from './issue-and-send.ts'

/** What the deal tab's subscription section shows: the stored subscription, and its plan for the portal's today. */
export interface DealSubscriptionView extends DealSubscription {
  readonly clock: PortalClock
  /** Null when the deal has no running subscription. */
  readonly plan: SubscriptionPlan | null
  /** Whether the acting user may set, change or stop it: an admin or the deal's responsible. */
  readonly canEdit: boolean
}

function clockOf(serverTime: string): PortalClock {
  const clock = portalClockOf(serverTime)
  if (!clock)
    throw new Error(`server.time answered "${serverTime}"`)
  return clock
}

/** The purposes of the periods a deal already has invoices for. */
export function issuedPurposes(issued: DealSubscription['issued']): ReadonlySet<string> {
  return new Set(issued.map(period => period.purpose))
}

/** The purposes of the period invoices in a success stage. */
export function paidPurposes(issued: DealSubscription['issued'], stages: readonly Stage[]): ReadonlySet<string> {
  const byId = indexStages(stages)
  return new Set(issued.filter(period => byId.get(period.invoice.stageId)?.semantics === 'success').map(period => period.purpose))
}

/** Reads a deal's subscription in ONE round trip (see `readDealSubscription`) and plans it for the portal's day. */
export async function loadDealSubscription(portal: PortalClient, dealId: number): Promise<DealSubscriptionView> {
  const read = await readDealSubscription(portal, dealId)
  const clock = clockOf(read.serverTime)
  const plan = read.state.status === 'active' ? planSubscription(read.state.schedule, issuedPurposes(read.issued), clock.today, paidPurposes(read.issued, read.stages)) : null
  return { ...read, clock, plan, canEdit: read.isAdmin || read.deal.responsibleId === read.userId }
}

/**
 * Sets (or changes) a deal's schedule: ONE write, one timeline entry holding the whole schedule,
 * which wins over every older one. Validate with `validateSubscription` first; the portal refuses
 * users who may not change the deal.
 */
export async function saveSubscription(portal: PortalClient, dealId: number, schedule: SubscriptionSchedule, byUserId: number | null, locale: Locale): Promise<void> {
  await writeSubscriptionRecord(portal, dealId, scheduleSetSentence(schedule, locale), { kind: 'subscription', schedule, by: byUserId })
}

/** Stops a deal's subscription: ONE write; invoices already issued stay as they are. */
export async function stopSubscription(portal: PortalClient, dealId: number, byUserId: number | null, locale: Locale): Promise<void> {
  await writeSubscriptionRecord(portal, dealId, scheduleStoppedSentence(locale), { kind: 'subscriptionStopped', by: byUserId })
}

/**
 * Issues and sends one period's invoice through the issue chain: `prepareIssue` with the period's
 * purpose (its idempotency key), its days in the title and the schedule's sum, then `runIssue`.
 * Safe to repeat: a finished period answers "already done", a half-done one is resumed. Used by
 * the runner and by the deal tab (a missed period, or the due one without waiting). Never throws.
 */
export async function issueSubscriptionPeriod(portal: PortalClient, dealId: number, schedule: SubscriptionSchedule, period: SubscriptionPeriod, settings: InvoiceDeskSettings, env: IssueEnvironment): Promise<IssueResult> {
  const { amount } = schedule
  const request = { purpose: period.purpose, titleSuffix: periodLabel(period, env.locale), fixedAmount: amount.kind === 'fixed' ? amount.amount : null }
  try {
    return await runIssue(portal, await prepareIssue(portal, dealId, settings, env, request), env)
  }
  catch (error) {
    return { status: 'failed', step: 'invoice', error, done: [], invoiceId: null }
  }
}
