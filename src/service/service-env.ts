import type { UnattendedIssueResult, UnattendedSource } from '../flows/unattended-issue.ts'

/**
 * Runs the one unattended issue chain for a deal of a portal (settings read from the portal, the
 * app's tokens); null when the portal is no longer installed. `attemptId` is stable for one robot
 * call, so the same call resumed after a restart may go on with the invoice it started.
 */
export type RunUnattended = (memberId: string, dealId: number, source: UnattendedSource, attemptId?: string) => Promise<UnattendedIssueResult | null>
