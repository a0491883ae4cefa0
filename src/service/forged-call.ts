import type { PortalSessions } from './portal/portal-sessions.ts'
import type { ServiceLog } from './service-log.ts'
import { recordJournal } from '../flows/journal/record-journal.ts'
import { createTranslator } from '../i18n/translate.ts'
import { loadPortalSettings } from './portal/load-settings.ts'

/** At most one journal entry a minute per portal for refused calls, so forged calls cannot flood the journal. */
const JOURNAL_EVERY_MS = 60_000

/**
 * Reports a refused call: always a line in the service's log (member id, kind, remote address —
 * never the tokens it carried), and an entry in the app's journal of the portal it claims to come
 * from when that portal is installed (rate-limited).
 */
export function createForgedCallReporter(deps: { sessions: PortalSessions, log: ServiceLog, locale: 'ru' | 'en', now: () => number }) {
  const lastJournaled = new Map<string, number>()
  return async (kind: 'robot' | 'event' | 'install', memberId: string, remote: string, dealId: number | null): Promise<void> => {
    deps.log.warn('call.refused', { kind, memberId: memberId || null, remote, reason: 'application_token does not match' })
    if (!memberId || deps.now() - (lastJournaled.get(memberId) ?? 0) < JOURNAL_EVERY_MS)
      return
    const client = await deps.sessions.clientFor(memberId).catch(() => null)
    if (!client)
      return
    lastJournaled.set(memberId, deps.now())
    try {
      const settings = await loadPortalSettings(client)
      const summary = createTranslator(deps.locale).t('service.forgedCall', { kind })
      await recordJournal(client, settings, [{ action: 'invoice', result: 'failed', by: kind === 'robot' ? 'robot' : 'auto', dealId, invoiceId: null, summary, error: { code: 'FORGED_CALL', message: summary } }])
    }
    catch (error) {
      deps.log.warn('call.refused.journal-failed', { memberId, error: error instanceof Error ? error.message : String(error) })
    }
  }
}
