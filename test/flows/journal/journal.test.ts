// The execution journal against the emulator over https with the real webhook client — the scheduled
// runner's connection, which app storage would refuse: the journal's smart process takes it.
import { describe, expect, it } from 'vitest'
import { dryRunIssue, runIssue } from '../../../src/flows/issue-and-send.ts'
import { issueEntries } from '../../../src/flows/journal/journal-entries.ts'
import { recordJournal } from '../../../src/flows/journal/record-journal.ts'
import { EMPTY_JOURNAL_FILTER, pruneJournal, readJournal, writeJournal } from '../../../src/portal/journal/journal-store.ts'
import { stateFingerprint } from '../../emulator/control/state-fingerprint.ts'
import { JOURNAL, useJournalEmulator } from '../../support/journal-emulator.ts'

describe('flows/journal against the emulator (webhook)', () => {
  // An administrator's webhook with `bizproc` ticked: bizproc.workflow.* need both (README, «Scheduled reminders»).
  const journaled = useJournalEmulator({ webhookScopes: ['crm', 'im', 'task', 'user_basic', 'bizproc'] })
  const { settings, env, issuable } = journaled

  it('journals each step of an issue, and a process that failed to start with its Bitrix24 error, while the invoice is sent', async () => {
    const control = { templateId: 3, document: 'invoice' as const, name: 'Контроль оплаты', parameters: {} }
    const withProcess = { ...settings, processes: { ...settings.processes, events: { ...settings.processes.events, sent: { processes: [control], triggerCode: null } } } }
    const { dealId, preparation } = await issuable(withProcess)
    journaled.emulator.engine.faults.add({ method: 'bizproc.workflow.start', times: 1, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Internal server error' })
    const steps: Record<string, string> = {}
    const track = (step: string, status: string): void => {
      steps[step] = status
    }
    const result = await runIssue(journaled.portal, preparation, { ...env, onProgress: track })
    expect(result.status).toBe('sent')
    const write = await recordJournal(journaled.portal, withProcess, issueEntries({ dealId, steps: steps as never, result, to: preparation.plan!.client.email, by: 'runner' }, 'ru'))
    expect(write).toEqual({ status: 'written', where: 'journal' })

    const page = await readJournal(journaled.portal, JOURNAL, { ...EMPTY_JOURNAL_FILTER, dealId })
    expect(page.entries.map(entry => [entry.action, entry.result]).reverse()).toEqual([
      ['invoice', 'ok'], ['document', 'ok'], ['document', 'ok'], ['email', 'ok'], ['stage', 'ok'], ['notify', 'ok'], ['process', 'failed'],
    ])
    const failedStart = page.entries[0]!
    expect(failedStart).toMatchObject({ by: 'runner', dealId, invoiceId: result.status === 'sent' ? result.invoiceId : 0, error: { code: 'INTERNAL_SERVER_ERROR' } })
    expect(failedStart.error!.message).toContain('bizproc.workflow.start')
    const failures = await readJournal(journaled.portal, JOURNAL, { ...EMPTY_JOURNAL_FILTER, result: 'failed' })
    expect(failures.entries.map(entry => entry.action)).toEqual(['process'])
  })

  it('filters by action, result and period, pages by 50, and prunes what is older than the bound', async () => {
    const entry = (i: number) => ({ action: i % 2 === 0 ? 'email' as const : 'reminder' as const, result: i % 3 === 0 ? 'failed' as const : 'ok' as const, by: 'runner' as const, dealId: 1 + (i % 4), invoiceId: 100 + i, summary: `entry ${i}`, error: i % 3 === 0 ? { code: 'X', message: 'boom' } : null })
    expect(await writeJournal(journaled.portal, JOURNAL, Array.from({ length: 60 }, (_, i) => entry(i)))).toBeNull()
    const all = await readJournal(journaled.portal, JOURNAL, EMPTY_JOURNAL_FILTER)
    expect([all.total, all.entries.length, all.next]).toEqual([60, 50, 50])
    expect(all.entries[0]!.summary).toBe('entry 59')
    expect((await readJournal(journaled.portal, JOURNAL, EMPTY_JOURNAL_FILTER, 50)).entries.map(e => e.summary).at(-1)).toBe('entry 0')
    expect((await readJournal(journaled.portal, JOURNAL, { ...EMPTY_JOURNAL_FILTER, action: 'email', result: 'failed' })).total).toBe(10)
    expect((await readJournal(journaled.portal, JOURNAL, { ...EMPTY_JOURNAL_FILTER, dealId: 2 })).total).toBe(15)
    const later = new Date(journaled.emulator.engine.clock.now() + 3_600_000).toISOString()
    expect((await readJournal(journaled.portal, JOURNAL, { ...EMPTY_JOURNAL_FILTER, from: later })).total).toBe(0)

    expect(await pruneJournal(journaled.portal, JOURNAL, later)).toBe(60)
    expect((await readJournal(journaled.portal, JOURNAL, EMPTY_JOURNAL_FILTER)).total).toBe(0)
  })

  it('a dry run of the issue chain plans everything and changes nothing in the portal', async () => {
    const { preparation } = await issuable(settings)
    const before = stateFingerprint(journaled.emulator.state)
    const dry = dryRunIssue(preparation, env)!
    expect(dry.email.to).toBe(preparation.plan!.client.email)
    expect(dry.email.html).toContain(preparation.plan!.client.name.replaceAll('"', '&quot;').slice(0, 3))
    expect(dry.email.subject + dry.email.html).not.toMatch(/\{[a-z]+\.[a-zA-Z]+\}/) // every variable filled
    expect(dry.invoiceStage.id).toBe(preparation.plan!.sentStageId)
    // The number and the link do not exist yet: sample values, marked as such, never empty places.
    expect(dry.email.subject + dry.email.html).toContain('(пример)')
    expect(dry.email.subject).not.toMatch(/№ —|№\s*$|№ от/)
    expect(dry.email.html).not.toMatch(/:\s*(<br\s*\/?>|<\/p>|$)/)
    expect(dry.samples).toBe(true)
    expect(stateFingerprint(journaled.emulator.state)).toBe(before)
  })
})
