import type { IssueResult } from '../../../src/flows/issue-and-send.ts'
import { describe, expect, it } from 'vitest'
import { issueEntries, resendEntries } from '../../../src/flows/journal/journal-entries.ts'
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
    expect(resendEntries({ status: 'sent', invoiceId: 12, to: 'a@b.ru' }, 7, 12, 'ru')).toEqual([{ by: 'user', dealId: 7, invoiceId: 12, action: 'email', result: 'ok', summary: 'Счёт #12 отправлен повторно на a@b.ru', error: null }])
    expect(resendEntries({ status: 'failed', error: new Error('offline') }, 7, 12, 'en')[0]).toMatchObject({ result: 'failed', summary: 'Could not e-mail invoice #12 again', error: { code: 'Error', message: 'offline' } })
  })
})
