// «Отправить ещё раз», then journal it, against the emulator over https with the real SDK (the webhook client):
// one more e-mail and one journal entry; an e-mail whose answer was lost is not sent twice, nor journaled as failed.
import { describe, expect, it } from 'vitest'
import { issueWithJournal, resendWithJournal } from '../../src/flows/issue-with-journal.ts'
import { EMPTY_JOURNAL_FILTER, readJournal } from '../../src/portal/journal/journal-store.ts'
import { JOURNAL, useJournalEmulator } from '../support/journal-emulator.ts'

describe('flows/issue-with-journal: resendWithJournal against the emulator (webhook)', () => {
  const journaled = useJournalEmulator()
  const { settings, env, issuable } = journaled

  /** A deal whose invoice was issued and e-mailed (and journaled) once. */
  async function sentDeal(): Promise<{ dealId: number, invoiceId: number }> {
    const { dealId, preparation } = await issuable()
    const issued = await issueWithJournal(journaled.portal, preparation, env, { by: 'user' })
    expect(issued.result.status).toBe('sent')
    return { dealId, invoiceId: issued.result.status === 'sent' ? issued.result.invoiceId : 0 }
  }
  const outbox = () => journaled.emulator.state.journal.filter(entry => entry.kind === 'outbox')
  const journalOf = async (dealId: number) => (await readJournal(journaled.portal, JOURNAL, { ...EMPTY_JOURNAL_FILTER, dealId })).entries

  it('e-mails the invoice once more and writes exactly one journal entry saying so', async () => {
    const { dealId, invoiceId } = await sentDeal()
    const mailsBefore = outbox().length
    const entriesBefore = (await journalOf(dealId)).length
    const done = await resendWithJournal(journaled.portal, dealId, settings, env)
    expect(done.result).toMatchObject({ status: 'sent', invoiceId })
    expect(done.journal).toEqual({ status: 'written', where: 'journal' })
    expect(outbox()).toHaveLength(mailsBefore + 1)
    const entries = await journalOf(dealId)
    expect(entries).toHaveLength(entriesBefore + 1)
    expect(entries[0]).toMatchObject({ action: 'email', result: 'ok', invoiceId, summary: expect.stringContaining('отправлен повторно') })
  })

  it('an e-mail whose answer was lost (drop-after): sent once, a fresh read tells it went, and the journal says so, not «failed»', async () => {
    const { dealId, invoiceId } = await sentDeal()
    const mailsBefore = outbox().length
    const entriesBefore = (await journalOf(dealId)).length
    // The portal sends the e-mail, then the connection drops before its answer: Node's client does not repeat the POST.
    journaled.emulator.engine.faults.add({ method: 'crm.activity.add', times: 1, kind: 'drop-after', status: 0, code: '', description: '' })
    const done = await resendWithJournal(journaled.portal, dealId, settings, env)
    expect(outbox()).toHaveLength(mailsBefore + 1)
    expect(done.result).toMatchObject({ status: 'sent', invoiceId })
    const entries = await journalOf(dealId)
    expect(entries).toHaveLength(entriesBefore + 1)
    expect(entries[0]).toMatchObject({ action: 'email', result: 'ok', invoiceId, summary: expect.stringContaining('отправлен повторно'), error: null })
  })

  it('an e-mail dropped before the portal ran it (drop): nothing sent, the fresh read tells, and the journal says it failed', async () => {
    const { dealId, invoiceId } = await sentDeal()
    const mailsBefore = outbox().length
    journaled.emulator.engine.faults.add({ method: 'crm.activity.add', times: 1, kind: 'drop', status: 0, code: '', description: '' })
    const done = await resendWithJournal(journaled.portal, dealId, settings, env)
    expect(outbox()).toHaveLength(mailsBefore)
    expect(done.result.status).toBe('failed')
    expect((await journalOf(dealId))[0]).toMatchObject({ action: 'email', result: 'failed', invoiceId, summary: expect.stringContaining('не удалась') })
  })

  // Not kept yet: when the fresh read after a lost answer fails too, the re-send is journaled as failed although the
  // e-mail may have gone; ResendResult has no "unknown" for the journal to say so.
  it.todo('an e-mail whose answer was lost and whose fresh read fails too: the journal says the outcome is unknown')
})
