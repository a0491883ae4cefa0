import type { Locale } from '../domain/format.ts'
import type { PortalClock } from '../domain/portal-clock.ts'
import type { SubscriptionPlan } from '../domain/subscription/plan-subscription.ts'
import type { SubscriptionPeriod } from '../domain/subscription/subscription-period.ts'
import type { SubscriptionSchedule } from '../domain/subscription/subscription-schedule.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { DealSubscription } from '../portal/subscription/subscription-read.ts'
import type { ActiveSubscription } from '../portal/subscription/subscription-scan.ts'
import type { Stage, StageIndex } from '../domain/stage.ts'
import type { NoticeInvoice, SubscriptionNotice } from '../domain/subscription/subscription-notices.ts'
import type { NoticeDelivery } from '../portal/subscription/subscription-notify.ts'
import type { IssueEnvironment, IssueResult } from './issue-and-send.ts'
import { portalClockOf } from '../domain/portal-clock.ts'
import { planSubscription } from '../domain/subscription/plan-subscription.ts'
import { indexStages, isInitialStage } from '../domain/stage.ts'
import { periodLabel, noticeText, scheduleSetSentence, scheduleStoppedSentence } from '../domain/subscription/subscription-messages.ts'
import { dueNotices } from '../domain/subscription/subscription-notices.ts'
import { deliverNotices } from '../portal/subscription/subscription-notify.ts'
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

/** What the runner did for one subscribed deal. */
export interface SubscriptionOutcome {
  readonly dealId: number
  readonly plan: SubscriptionPlan
  /** The issue chain's result for the due period; null when nothing was due or on a dry run. */
  readonly result: IssueResult | null
  /** Notices due now ("ends soon", "failed payment"), each with the portal's error when it was refused (null: sent, or a dry run). */
  readonly notices: ReadonlyArray<{ readonly notice: SubscriptionNotice, readonly error: unknown }>
}

export interface SubscriptionRunOptions {
  readonly locale: Locale
  readonly clock: PortalClock
  /** Every invoice pipeline's stages: a period invoice in a success stage is paid, in a failure one cancelled. */
  readonly stages: readonly Stage[]
  /** Plan only: nothing is created or sent. */
  readonly dryRun?: boolean
  /** Waits while the PDF converts; injected for tests. Default a real timer. */
  readonly sleep?: (ms: number) => Promise<void>
}

/** An IANA zone for the portal's offset (`+03:00` → `Etc/GMT-3`): the issue chain's fallback when the runner's user has none. */
export function zoneOfOffset(serverTime: string): string {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(serverTime)
  if (!match || match[3] !== '00')
    return 'UTC'
  const hours = Number(match[2])
  return hours === 0 ? 'UTC' : `Etc/GMT${match[1] === '+' ? '-' : '+'}${hours}`
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

function runnerEnvironment(options: SubscriptionRunOptions, timeZone: string): IssueEnvironment {
  return {
    now: new Date(options.clock.instantMs),
    timeZone,
    locale: options.locale,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))),
  }
}

/**
 * The subscriptions part of the scheduled run: for each subscribed deal, plans the portal's
 * today and issues the due period's invoice through the one issue chain (`prepareIssue` /
 * `runIssue` with the period's purpose), one deal after another. Two runners at once still make
 * one invoice per period: the purpose is the invoice's `xmlId`, and of two invoices created at
 * once the higher id deletes itself (`runIssue`); a second runner later finds it done.
 * Then tells each deal's responsible, once, that its subscription ends soon or that a period's
 * invoice is unpaid past its due date (one batch for all notices, see `deliverNotices`).
 */
export async function runSubscriptions(portal: PortalClient, subscriptions: readonly ActiveSubscription[], settings: InvoiceDeskSettings, options: SubscriptionRunOptions & { serverTime: string }): Promise<SubscriptionOutcome[]> {
  const timeZone = zoneOfOffset(options.serverTime)
  const stages = indexStages(options.stages)
  const issuedNow: Array<{ subscription: ActiveSubscription, plan: SubscriptionPlan, result: IssueResult | null }> = []
  for (const subscription of subscriptions) {
    const plan = planSubscription(subscription.schedule, issuedPurposes(subscription.issued), options.clock.today, paidPurposes(subscription.issued, options.stages))
    const period = plan.due ?? (stoppedHalfway(subscription, plan, stages) ? plan.current : null)
    const result = period && !options.dryRun ? await issueSubscriptionPeriod(portal, subscription.dealId, subscription.schedule, period, settings, runnerEnvironment(options, timeZone)) : null
    issuedNow.push({ subscription, plan, result })
  }
  const notices = issuedNow.map(({ subscription, plan }) => dueNotices(plan, noticeInvoices(subscription, options.stages), options.clock.today, subscription.notices))
  const failed = options.dryRun ? new Map<string, unknown>() : await deliverNotices(portal, issuedNow.flatMap(({ subscription }, i) => deliveriesOf(subscription, notices[i]!, options.locale)))
  return issuedNow.map(({ subscription, plan, result }, i) => ({
    dealId: subscription.dealId,
    plan,
    result,
    notices: notices[i]!.map(notice => ({ notice, error: failed.get(`${subscription.dealId}:${notice.key}`) ?? (subscription.responsibleId === null && !options.dryRun ? new Error('the deal has no responsible') : null) })),
  }))
}

/**
 * The current period's invoice exists but is still in its pipeline's first stage: the chain
 * stopped before the e-mail (a failed step, a dropped connection, an approval). Running the chain
 * again resumes it without repeating a finished step.
 */
function stoppedHalfway(subscription: ActiveSubscription, plan: SubscriptionPlan, stages: StageIndex): boolean {
  const invoice = subscription.issued.find(period => period.purpose === plan.current?.purpose)?.invoice
  const stage = invoice ? stages.get(invoice.stageId) : undefined
  return stage !== undefined && isInitialStage(stage, stages)
}

function noticeInvoices(subscription: ActiveSubscription, stages: readonly Stage[]): NoticeInvoice[] {
  const byId = indexStages(stages)
  return subscription.issued.map(({ purpose, invoice }) => {
    const semantics = byId.get(invoice.stageId)?.semantics
    return { purpose, invoiceId: invoice.id, number: invoice.number, dueDate: invoice.dueDate, closed: semantics === 'success' ? 'paid' : semantics === 'failure' ? 'cancelled' : null }
  })
}

function deliveriesOf(subscription: ActiveSubscription, notices: readonly SubscriptionNotice[], locale: Locale): NoticeDelivery[] {
  const userId = subscription.responsibleId
  if (userId === null)
    return []
  return notices.map(notice => ({ dealId: subscription.dealId, userId, key: notice.key, message: noticeText(notice, subscription.dealTitle, locale) }))
}
