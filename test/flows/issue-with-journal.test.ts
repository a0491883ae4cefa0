// "Issue and send, then journal it" as one flow, against the emulator over https with the real SDK.
import type { IssueResult } from '../../src/flows/issue-and-send.ts'
import { describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { issueWithJournal, sentTriggerOf } from '../../src/flows/issue-with-journal.ts'
import { issueEntries } from '../../src/flows/journal/journal-entries.ts'
import { EMPTY_JOURNAL_FILTER, readJournal } from '../../src/portal/journal/journal-store.ts'
import { JOURNAL, useJournalEmulator } from '../support/journal-emulator.ts'

describe('flows/issue-with-journal against the emulator (webhook)', () => {
  const journaled = useJournalEmulator()
  const { settings, env, issuable } = journaled

  it('runs the chain once, shows its result before the journal is written, then writes each step in one request', async () => {
    const { dealId, preparation } = await issuable()
    const progress: string[] = []
    let requestsAtResult = -1
    let seen: IssueResult | null = null
    const done = await issueWithJournal(journaled.portal, preparation, {
      ...env,
      onProgress: (step, status) => progress.push(`${step}:${status}`),
      onResult: (result) => {
        seen = result
        requestsAtResult = journaled.emulator.engine.stats.httpRequests
      },
    }, { by: 'user' })
    expect(done.result.status).toBe('sent')
    expect(seen).toBe(done.result)
    // The caller's own progress still arrives.
    expect(progress).toContain('email:done')
    // One journal write after the result: one batch.
    expect(journaled.emulator.engine.stats.httpRequests - requestsAtResult).toBe(1)
    expect(done.journal.status).toBe('written')
    const page = await readJournal(journaled.portal, JOURNAL, { ...EMPTY_JOURNAL_FILTER, dealId })
    expect(page.entries.map(entry => [entry.action, entry.result, entry.userId >= 0])).toEqual(expect.arrayContaining([['invoice', 'ok', true], ['email', 'ok', true]]))
    expect(page.entries).toHaveLength(done.entries.length)
    expect(journaled.emulator.state.entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))).toHaveLength(1)
  })

  it('keeps the sent invoice when the journal cannot be written, and says so without sending again', async () => {
    const { dealId, preparation } = await issuable()
    const done = await issueWithJournal(journaled.portal, preparation, {
      ...env,
      // The chain is done: from now on the portal refuses the journal's write.
      onResult: () => {
        journaled.emulator.engine.faults.add({ method: 'crm.item.add', times: 1, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Internal server error' })
      },
    }, { by: 'user' })
    expect(done.result.status).toBe('sent')
    expect(done.journal.status).toBe('failed')
    expect(journaled.emulator.state.entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))).toHaveLength(1)
    expect(journaled.emulator.state.journal.filter(entry => entry.kind === 'outbox')).toHaveLength(1)
  })

  it('names the "sent" trigger: the chosen code, else the settings\'; for a non-admin the one that waits for an admin', () => {
    const withTrigger = { ...settings, processes: { ...settings.processes, events: { ...settings.processes.events, sent: { processes: [], triggerCode: 'paid_check' } } } }
    expect(sentTriggerOf(withTrigger, { isAdmin: false })).toBe('paid_check')
    // A manager's send: the trigger did not fire (needsAdmin), and the journal says which one.
    const sent = { status: 'sent', invoiceId: 12, invoiceNumber: 'СЧ-12', documentUrl: null, alreadyDone: false, processes: [], warnings: [{ part: 'trigger', error: null, needsAdmin: true }] } as const
    const entries = issueEntries({ dealId: 7, steps: { notify: 'done' } as never, result: sent as never, to: 'a@b.ru', by: 'user', sentTrigger: sentTriggerOf(withTrigger, { isAdmin: false }) }, 'ru')
    const triggers = entries.filter(entry => entry.action === 'trigger')
    expect(triggers.map(entry => entry.result)).toEqual(['needsAdmin'])
    expect(triggers[0]!.summary).toContain('«paid_check»')
    expect(sentTriggerOf(withTrigger, { isAdmin: true })).toBe('paid_check')
    expect(sentTriggerOf(withTrigger, { isAdmin: true, triggerCode: null })).toBeNull()
    expect(sentTriggerOf(withTrigger, { isAdmin: true, triggerCode: 'other' })).toBe('other')
  })
})
