import type { AutoIssueDeal, AutoIssueDecision } from '../../domain/issue/auto-issue.ts'
import type { InvoiceDeskSettings } from '../../domain/settings/settings.ts'
import type { EmailAttachment } from '../../portal/email-activity.ts'
import type { IssuedDocument } from '../../portal/issue/issue-write.ts'
import type { PortalClient } from '../../portal/portal-client.ts'

/** A deal the poll found in a ready stage (`src/flows/auto-issue.ts`). */
export interface AutoIssueCandidateLike {
  readonly dealId: number
  readonly decision: AutoIssueDecision
}

/** The flows the service calls for auto-issue, polling and the nightly run, with their agreed signatures. */
export interface ServiceFlows {
  readAutoIssueDeal: (portal: PortalClient, dealId: number, settings: InvoiceDeskSettings) => Promise<AutoIssueDeal | null>
  findAutoIssueCandidates: (portal: PortalClient, settings: InvoiceDeskSettings, options: { movedSince?: Date }) => Promise<AutoIssueCandidateLike[]>
  runNightly: (portal: PortalClient, settings: InvoiceDeskSettings, options: { locale: 'ru' | 'en', dryRun: boolean, runnerId: string, fetchPdf?: (document: IssuedDocument) => Promise<EmailAttachment | null> }) => Promise<unknown>
}

const AUTO_ISSUE_FLOWS = '../../flows/auto-issue.ts'
const NIGHTLY_FLOWS = '../../flows/nightly-run.ts'

/**
 * Loads `src/flows/auto-issue.ts` and `src/flows/nightly-run.ts` by path at first use. Throws a
 * plain error naming the missing flow when a build lacks it, so the service still serves robots.
 */
export async function loadServiceFlows(): Promise<ServiceFlows> {
  const [autoIssue, nightly] = await Promise.all([
    import(/* @vite-ignore */ AUTO_ISSUE_FLOWS).catch(() => null) as Promise<Partial<ServiceFlows> | null>,
    import(/* @vite-ignore */ NIGHTLY_FLOWS).catch(() => null) as Promise<Partial<ServiceFlows> | null>,
  ])
  const missing = (name: string) => async () => {
    throw new Error(`${name} is not available in this build`)
  }
  return {
    readAutoIssueDeal: autoIssue?.readAutoIssueDeal ?? missing('readAutoIssueDeal'),
    findAutoIssueCandidates: autoIssue?.findAutoIssueCandidates ?? missing('findAutoIssueCandidates'),
    runNightly: nightly?.runNightly ?? missing('runNightly'),
  }
}
