// "Issue and send, then journal it" as one flow, against the emulator over https with the real SDK.
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { IssueEnvironment, IssuePreparation, IssueResult } from '../../src/flows/issue-and-send.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { prepareIssue } from '../../src/flows/issue-and-send.ts'
import { issueWithJournal, sentTriggerOf } from '../../src/flows/issue-with-journal.ts'
import { EMPTY_JOURNAL_FILTER, journalTypeCommand, readJournal } from '../../src/portal/journal/journal-store.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { startEmulator } from '../emulator/server.ts'

const JOURNAL = 1030

describe('flows/issue-with-journal against the emulator (webhook)', () => {
  let emulator: RunningEmulator
  let caCertificate: string
  let portal: PortalClient

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 50 })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())
  beforeEach(async () => {
    emulator.engine.faults.clear()
    emulator.engine.reset('demo')
    portal = connectWithWebhook(emulator.webhookUrl, { caCertificate })
    const command = journalTypeCommand(JOURNAL)
    await portal.call(command.method, command.params)
  })

  const settings: InvoiceDeskSettings = { ...defaultSettings(), journal: { entityTypeId: JOURNAL, keepDays: 100 } }
  const env: IssueEnvironment = { now: new Date(), timeZone: 'Europe/Moscow', locale: 'ru', isAdmin: false, sleep: ms => new Promise(resolve => setTimeout(resolve, ms)), pdfPollMs: 50, pdfTimeoutMs: 10_000 }

  /** A deal the app can issue for, whose responsible has a CRM mailbox (these settings name no sender). */
  async function issuable(): Promise<{ dealId: number, preparation: IssuePreparation }> {
    const withMailbox = new Set(emulator.state.users.filter(user => user.crmMailbox).map(user => user.id))
    for (const deal of emulator.state.entities[2].items.filter(item => withMailbox.has(Number(item.assignedById)))) {
      const preparation = await prepareIssue(portal, Number(deal.id), settings, env)
      if (preparation.plan && !preparation.snapshot.existing && preparation.snapshot.otherOpenInvoices === 0)
        return { dealId: Number(deal.id), preparation }
    }
    throw new Error('no issuable deal')
  }

  it('runs the chain once, shows its result before the journal is written, then writes each step in one request', async () => {
    const { dealId, preparation } = await issuable()
    const progress: string[] = []
    let requestsAtResult = -1
    let seen: IssueResult | null = null
    const done = await issueWithJournal(portal, preparation, {
      ...env,
      onProgress: (step, status) => progress.push(`${step}:${status}`),
      onResult: (result) => {
        seen = result
        requestsAtResult = emulator.engine.stats.httpRequests
      },
    }, { by: 'user' })
    expect(done.result.status).toBe('sent')
    expect(seen).toBe(done.result)
    // The caller's own progress still arrives.
    expect(progress).toContain('email:done')
    // One journal write after the result: one batch.
    expect(emulator.engine.stats.httpRequests - requestsAtResult).toBe(1)
    expect(done.journal.status).toBe('written')
    const page = await readJournal(portal, JOURNAL, { ...EMPTY_JOURNAL_FILTER, dealId })
    expect(page.entries.map(entry => [entry.action, entry.result, entry.userId >= 0])).toEqual(expect.arrayContaining([['invoice', 'ok', true], ['email', 'ok', true]]))
    expect(page.entries).toHaveLength(done.entries.length)
    expect(emulator.state.entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))).toHaveLength(1)
  })

  it('keeps the sent invoice when the journal cannot be written, and says so without sending again', async () => {
    const { dealId, preparation } = await issuable()
    const done = await issueWithJournal(portal, preparation, {
      ...env,
      // The chain is done: from now on the portal refuses the journal's write.
      onResult: () => {
        emulator.engine.faults.add({ method: 'crm.item.add', times: 1, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Internal server error' })
      },
    }, { by: 'user' })
    expect(done.result.status).toBe('sent')
    expect(done.journal.status).toBe('failed')
    expect(emulator.state.entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))).toHaveLength(1)
    expect(emulator.state.journal.filter(entry => entry.kind === 'outbox')).toHaveLength(1)
  })

  it('names the "sent" trigger only for an admin: the chosen code, else the settings\'', () => {
    const withTrigger = { ...settings, processes: { ...settings.processes, events: { ...settings.processes.events, sent: { processes: [], triggerCode: 'paid_check' } } } }
    expect(sentTriggerOf(withTrigger, { isAdmin: false })).toBeNull()
    expect(sentTriggerOf(withTrigger, { isAdmin: true })).toBe('paid_check')
    expect(sentTriggerOf(withTrigger, { isAdmin: true, triggerCode: null })).toBeNull()
    expect(sentTriggerOf(withTrigger, { isAdmin: true, triggerCode: 'other' })).toBe('other')
  })
})
