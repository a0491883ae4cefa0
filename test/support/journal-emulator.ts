// One journaled portal for the flow tests: the emulator over https with its demo data, the real SDK through the
// scheduled runner's webhook connection, and the journal's smart process made afresh before each case.
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { IssueEnvironment, IssuePreparation } from '../../src/flows/issue-and-send.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'
import type { EmulatorOptions, RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { prepareIssue } from '../../src/flows/issue-and-send.ts'
import { journalTypeCommand } from '../../src/portal/journal/journal-store.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { startEmulator } from '../emulator/server.ts'

/** The journal's smart process type id in these tests. */
export const JOURNAL = 1030

export interface JournalEmulator {
  /** The running emulator (set before the first case). */
  readonly emulator: RunningEmulator
  /** A fresh webhook connection for each case. */
  readonly portal: PortalClient
  /** The default settings, journaling to `JOURNAL`. */
  readonly settings: InvoiceDeskSettings
  /** Moscow time, Russian, a non-admin; the PDF polled every 50 ms. */
  readonly env: IssueEnvironment
  /** A deal the app can issue for, whose responsible has a CRM mailbox (these settings name no sender). */
  issuable: (withSettings?: InvoiceDeskSettings) => Promise<{ dealId: number, preparation: IssuePreparation }>
}

/**
 * Starts the emulator for the enclosing `describe` (extra `options`, e.g. `webhookScopes`, go to `startEmulator`),
 * and before each case clears its faults, resets the demo data, connects anew and creates the journal's type.
 */
export function useJournalEmulator(options: EmulatorOptions = {}): JournalEmulator {
  let emulator: RunningEmulator | undefined
  let portal: PortalClient | undefined
  let caCertificate = ''
  const settings: InvoiceDeskSettings = { ...defaultSettings(), journal: { entityTypeId: JOURNAL, keepDays: 100 } }
  const env: IssueEnvironment = { now: new Date(), timeZone: 'Europe/Moscow', locale: 'ru', isAdmin: false, sleep: ms => new Promise(resolve => setTimeout(resolve, ms)), pdfPollMs: 50, pdfTimeoutMs: 10_000 }

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 50, ...options })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator?.close())
  beforeEach(async () => {
    emulator!.engine.faults.clear()
    emulator!.engine.reset('demo')
    portal = connectWithWebhook(emulator!.webhookUrl, { caCertificate })
    const command = journalTypeCommand(JOURNAL)
    await portal.call(command.method, command.params)
  })

  const context: JournalEmulator = {
    get emulator() { return emulator! },
    get portal() { return portal! },
    settings,
    env,
    async issuable(withSettings = settings) {
      const withMailbox = new Set(context.emulator.state.users.filter(user => user.crmMailbox).map(user => user.id))
      for (const deal of context.emulator.state.entities[2].items.filter(item => withMailbox.has(Number(item.assignedById)))) {
        const preparation = await prepareIssue(context.portal, Number(deal.id), withSettings, env)
        if (preparation.plan && !preparation.snapshot.existing && preparation.snapshot.otherOpenInvoices === 0)
          return { dealId: Number(deal.id), preparation }
      }
      throw new Error('no issuable deal')
    },
  }
  return context
}
