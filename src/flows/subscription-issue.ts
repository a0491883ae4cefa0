import type { SubscriptionPeriod } from '../domain/subscription/subscription-period.ts'
import type { SubscriptionSchedule } from '../domain/subscription/subscription-schedule.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { IssueJournalActor, JournaledIssue, JournaledIssueEnvironment } from './issue-with-journal.ts'
import { journaledIssue } from './issue-with-journal.ts'
import { issueSubscriptionPeriod } from './subscriptions.ts'

/**
 * One subscription period's invoice issued by hand (`issueSubscriptionPeriod`: safe to repeat,
 * its purpose keeps it to one invoice), then journaled like any issue, with `settings`' journal.
 * Never throws (a failed read is a `failed` result).
 */
export function issueSubscriptionPeriodWithJournal(portal: PortalClient, dealId: number, schedule: SubscriptionSchedule, period: SubscriptionPeriod, settings: InvoiceDeskSettings, env: JournaledIssueEnvironment, actor: IssueJournalActor): Promise<JournaledIssue> {
  return journaledIssue(portal, settings, { dealId, to: '' }, actor, env, chainEnv => issueSubscriptionPeriod(portal, dealId, schedule, period, settings, chainEnv))
}
