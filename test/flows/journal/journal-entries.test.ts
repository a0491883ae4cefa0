import type { IssueResult } from '../../../src/flows/issue-and-send.ts'
import { describe, expect, it } from 'vitest'
import type { Locale } from '../../../src/domain/format.ts'
import type { Invoice } from '../../../src/domain/invoice.ts'
import type { JournalEntry } from '../../../src/domain/journal/journal-entry.ts'
import { renderJournalText } from '../../../src/domain/journal/journal-texts.ts'
import { brokenPromiseEntries, closingEntries, dryRunEntries, followUpEntries, issueEntries, paymentEntries, processEntries, resendEntries, subscriptionEntries } from '../../../src/flows/journal/journal-entries.ts'
import { PortalError } from '../../../src/portal/portal-error.ts'

const done = { invoice: 'done', products: 'done', document: 'done', pdf: 'done', email: 'done', stages: 'done', notify: 'done' } as const
const run = (result: IssueResult, steps: Record<string, string> = done) => issueEntries({ dealId: 7, steps: steps as never, result, to: 'a@b.ru', by: 'user', sentTrigger: 'invoice_sent' }, 'ru')

describe('flows/journal/journal-entries', () => {
  it('a resumed chain journals only the steps this run did, and the step that failed with the portal\'s error', () => {
    const error = new PortalError('crm.activity.add', 'ERROR_EMAIL', 'mailbox is not configured', 400, true)
    const entries = run({ status: 'failed', step: 'email', error, done: ['invoice', 'products', 'document', 'pdf'], invoiceId: 12 }, { ...done, invoice: 'skipped', products: 'skipped', document: 'skipped', pdf: 'done', email: 'failed', stages: 'pending', notify: 'pending' })
    expect(entries.map(entry => [entry.action, entry.result, entry.error?.code ?? null])).toEqual([['document', 'ok', null], ['email', 'failed', 'ERROR_EMAIL']])
    expect(entries[1]!.error!.message).toBe('crm.activity.add: mailbox is not configured')
  })

  it('an invoice that was already sent, or that another window is sending, journals nothing', () => {
    expect(run({ status: 'sent', invoiceId: 12, invoiceNumber: 'СЧ-1', documentUrl: null, alreadyDone: true, warnings: [] }, {})).toEqual([])
    expect(run({ status: 'in-progress', invoiceId: 12, since: null })).toEqual([])
  })

  it('a follow-up that failed is its own entry; the trigger is "done" only when nothing says otherwise', () => {
    const error = new PortalError('tasks.task.add', 'ACCESS_DENIED', 'no', 403, true)
    const entries = run({ status: 'sent', invoiceId: 12, invoiceNumber: 'СЧ-1', documentUrl: null, alreadyDone: false, warnings: [{ part: 'task', error }] })
    expect(entries.map(entry => `${entry.action}:${entry.result}`)).toEqual(['invoice:ok', 'document:ok', 'document:ok', 'email:ok', 'stage:ok', 'notify:ok', 'trigger:ok', 'task:failed'])
    expect(entries[3]!.summary).toBe('Счёт СЧ-1 отправлен на a@b.ru')
  })

  it('journals a repeat e-mail, sent or refused', () => {
    expect(resendEntries({ status: 'sent', invoiceId: 12, to: 'a@b.ru' }, 7, 12, 'ru')).toEqual([{ by: 'user', dealId: 7, invoiceId: 12, action: 'email', result: 'ok', summary: 'Счёт #12 отправлен повторно на a@b.ru', text: [{ key: 'resent', values: { n: '#12', to: 'a@b.ru' } }], error: null }])
    expect(resendEntries({ status: 'failed', error: new Error('offline') }, 7, 12, 'en')[0]).toMatchObject({ result: 'failed', summary: 'Could not e-mail invoice #12 again', error: { code: 'Error', message: 'offline' } })
  })

  describe('each entry carries its words in no language, for every reader', () => {
    const invoice = { id: 12, dealId: 7, number: 'СЧ-1', amount: { amountMinor: 150_000, currency: 'RUB' } } as Invoice
    const failure = new PortalError('bizproc.workflow.start', 'ACCESS_DENIED', 'no', 403, true)
    const started = { kind: 'process', status: 'started', start: { templateId: 3, name: 'Контроль', document: 'deal', parameters: {} }, documentId: ['crm', 'CCrmDocumentDeal', 'DEAL_7'], workflowId: 'w' } as const
    const builders: ReadonlyArray<readonly [string, (locale: Locale) => JournalEntry[]]> = [
      ['an issue chain with a failed follow-up and a trigger', locale => issueEntries({ dealId: 7, steps: done as never, result: { status: 'sent', invoiceId: 12, invoiceNumber: 'СЧ-1', documentUrl: null, alreadyDone: false, warnings: [{ part: 'task', error: failure }, { part: 'notify', error: null } as never] }, to: '', by: 'user', sentTrigger: 'invoice_sent' }, locale)],
      ['an approval', locale => issueEntries({ dealId: 7, steps: {} as never, result: { status: 'awaiting-approval', invoiceId: 12, invoiceNumber: null, approval: { rejected: false, startError: null, needsAdmin: false }, warnings: [] } as never, to: 'a@b.ru', by: 'robot' }, locale)],
      ['processes started and failed, with the document', locale => processEntries([started, { kind: 'trigger', code: 'paid_t', status: 'failed', error: failure }], { dealId: 7, invoiceId: 12 }, 'paid', 'runner', locale)],
      ['payments refused, busy, elsewhere', locale => paymentEntries([
        { invoiceId: 12, amount: invoice.amount, result: { status: 'busy', action: 'recordPayment', invoice } },
        { invoiceId: 13, amount: invoice.amount, result: { status: 'recordedElsewhere', action: 'recordPayment', invoice: { ...invoice, number: '' } } },
        { invoiceId: 12, amount: invoice.amount, result: { status: 'overpaid', action: 'recordPayment', invoice, balance: invoice.amount } as never },
      ], 'user', locale)],
      ['a payment made outside the app', locale => followUpEntries([{ invoice, paidOn: '2026-12-01', dealMoved: true, error: null, processWarnings: [] } as never], 'runner', locale)],
      ['closing documents', locale => [
        ...closingEntries({ status: 'sent', invoice, documentId: 1, to: 'a@b.ru' }, 'runner', locale),
        ...closingEntries({ status: 'skipped', invoice, reason: 'noEmail' }, 'runner', locale),
        ...closingEntries({ status: 'unknown', invoice, error: failure }, 'runner', locale),
      ]],
      ['a broken promise', locale => brokenPromiseEntries([{ invoiceId: 12, on: '2026-12-01', acted: true, processWarnings: [] } as never], [invoice], 'runner', locale)],
      ['subscription notices', locale => subscriptionEntries([{ dealId: 7, steps: {}, result: null, notices: [{ notice: { kind: 'endsSoon', endsOn: '2026-12-31' }, error: null }, { notice: { kind: 'unpaid', invoice: { invoiceId: 12, number: '' } }, error: failure }] } as never], locale)],
      ['a repeat e-mail, sent and failed', locale => [...resendEntries({ status: 'sent', invoiceId: 12, to: 'a@b.ru' }, 7, 12, locale), ...resendEntries({ status: 'failed', error: failure }, 7, 12, locale)]],
      ['a dry run', locale => dryRunEntries({
        plan: { invoice: { dealId: 7, amount: invoice.amount }, client: { name: 'ООО Ромашка' } },
        email: { to: 'a@b.ru' },
        invoiceStage: { id: 'N', name: 'Новый' },
        dealStage: { id: 'S', name: 'Счёт выставлен' },
        processes: [{ event: 'issued', starts: [{ start: { templateId: 4, name: '' }, documentId: ['crm', 'Invoice', 'SMART_INVOICE_0'] }], triggerCode: null }],
      } as never, locale)],
    ]

    it.each(builders)('%s: written in one language, it reads in the other exactly as if written there', (_name, build) => {
      const [ru, en] = [build('ru'), build('en')]
      expect(ru.length).toBeGreaterThan(0)
      ru.forEach((entry, index) => {
        expect(renderJournalText('ru', entry.text!)).toBe(entry.summary)
        expect(renderJournalText('en', entry.text!)).toBe(en[index]!.summary)
        expect(en[index]!.text).toEqual(entry.text)
      })
    })
  })
})
