import type { Locale } from '../domain/format.ts'
import type { PortalClock } from '../domain/portal-clock.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { Stage, StageIndex } from '../domain/stage.ts'
import type { SubscriptionPlan } from '../domain/subscription/plan-subscription.ts'
import type { NoticeInvoice, SubscriptionNotice } from '../domain/subscription/subscription-notices.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { ActiveSubscription } from '../portal/subscription/subscription-scan.ts'
import type { NoticeDelivery } from '../portal/subscription/subscription-notify.ts'
import type { IssueEnvironment, IssueResult } from './issue-and-send.ts'
import { indexStages, isInitialStage } from '../domain/stage.ts'
import { planSubscription } from '../domain/subscription/plan-subscription.ts'
import { noticeText } from '../domain/subscription/subscription-messages.ts'
import { dueNotices } from '../domain/subscription/subscription-notices.ts'
import { deliverNotices } from '../portal/subscription/subscription-notify.ts'
import { issuedPurposes, issueSubscriptionPeriod, paidPurposes } from './subscriptions.ts'

/** What the runner did for one subscribed deal. */
export interface SubscriptionOutcome {
  readonly dealId: number
  readonly plan: SubscriptionPlan
  /** The issue chain's result for the due period; null when nothing was due or on a dry run. */
  readonly result: IssueResult | null
  /** Each issue step's status as the chain reported it (`done` = done by this run), for the journal. */
  readonly steps: Readonly<Record<string, string>>
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
  /** Fetches the PDF to attach to the period's invoice e-mail (`IssueEnvironment.fetchPdf`); default none: the link only. */
  readonly fetchPdf?: IssueEnvironment['fetchPdf']
}

/** An IANA zone for the portal's offset (`+03:00` → `Etc/GMT-3`): the issue chain's fallback when the runner's user has none. */
export function zoneOfOffset(serverTime: string): string {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(serverTime)
  if (!match || match[3] !== '00')
    return 'UTC'
  const hours = Number(match[2])
  return hours === 0 ? 'UTC' : `Etc/GMT${match[1] === '+' ? '-' : '+'}${hours}`
}

function runnerEnvironment(options: SubscriptionRunOptions, timeZone: string): IssueEnvironment {
  return {
    now: new Date(options.clock.instantMs),
    timeZone,
    locale: options.locale,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))),
    ...(options.fetchPdf ? { fetchPdf: options.fetchPdf } : {}),
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
  const issuedNow: Array<{ subscription: ActiveSubscription, plan: SubscriptionPlan, result: IssueResult | null, steps: Record<string, string> }> = []
  for (const subscription of subscriptions) {
    const plan = planSubscription(subscription.schedule, issuedPurposes(subscription.issued), options.clock.today, paidPurposes(subscription.issued, options.stages))
    const period = plan.due ?? (stoppedHalfway(subscription, plan, stages) ? plan.current : null)
    const steps: Record<string, string> = {}
    const track = (step: string, status: string): void => {
      steps[step] = status
    }
    const env = { ...runnerEnvironment(options, timeZone), onProgress: track }
    const result = period && !options.dryRun ? await issueSubscriptionPeriod(portal, subscription.dealId, subscription.schedule, period, settings, env) : null
    issuedNow.push({ subscription, plan, result, steps })
  }
  const notices = issuedNow.map(({ subscription, plan }) => dueNotices(plan, noticeInvoices(subscription, options.stages), options.clock.today, subscription.notices))
  const failed = options.dryRun ? new Map<string, unknown>() : await deliverNotices(portal, issuedNow.flatMap(({ subscription }, i) => deliveriesOf(subscription, notices[i]!, options.locale)))
  return issuedNow.map(({ subscription, plan, result, steps }, i) => ({
    dealId: subscription.dealId,
    plan,
    result,
    steps,
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
