import type { PortalRecord, ServiceStore } from '../store/service-store.ts'
import type { PortalSessions } from '../portal/portal-sessions.ts'
import type { ServiceLog } from '../service-log.ts'
import type { RunUnattended } from '../service-env.ts'
import { readAutoIssueDeal } from '../../flows/auto-issue.ts'
import { loadPortalSettings } from '../portal/load-settings.ts'
import { DEAL_UPDATE_EVENT } from '../portal/deal-events.ts'

/** The deal id of ONCRMDEALUPDATE (`data[FIELDS][ID]`, R: api-reference/crm/deals/events/on-crm-deal-update.md). */
export function dealIdOfEvent(body: Readonly<Record<string, unknown>>): number | null {
  const data = body.data as { FIELDS?: { ID?: unknown } } | undefined
  const id = Number(data?.FIELDS?.ID)
  return Number.isInteger(id) && id > 0 ? id : null
}

/**
 * Auto-issue on a deal's update: reads the deal as the app with its decision by the settings (ready
 * stages and conditions, `readAutoIssueDeal`/`decideAutoIssue`) and, unless the deal already has the
 * app's invoice, runs the one unattended chain with source `auto`. The event
 * carries only the id: everything else is read from the portal, so a forged or stale event cannot
 * make an invoice the settings do not allow.
 */
export function createDealEventHandler(deps: { store: ServiceStore, sessions: PortalSessions, log: ServiceLog, run: RunUnattended }) {
  return {
    async handle(portal: PortalRecord, event: string, body: Readonly<Record<string, unknown>>): Promise<void> {
      const dealId = dealIdOfEvent(body)
      if (event !== DEAL_UPDATE_EVENT || dealId === null)
        return
      try {
        const client = await deps.sessions.clientFor(portal.memberId)
        if (!client)
          return
        const settings = await loadPortalSettings(client)
        if (!settings.deal.autoIssue.enabled)
          return
        const candidate = await readAutoIssueDeal(client, dealId, settings)
        // Every edit of a deal in a ready stage raises the event: one that has the app's invoice is left alone.
        if (!candidate || !candidate.decision.issue || candidate.invoice !== null)
          return
        const result = await deps.run(portal.memberId, dealId, 'auto')
        deps.log.info('auto.issue', { memberId: portal.memberId, dealId, outcome: result?.outcome ?? 'not-installed', invoiceId: result?.invoiceId ?? null })
      }
      catch (error) {
        deps.log.warn('auto.issue.failed', { memberId: portal.memberId, dealId, error: error instanceof Error ? error.message : String(error) })
      }
    },
  }
}
