import type { InvoiceDeskSettings } from '../../../src/domain/settings/settings.ts'
import type { SettingsIssue } from '../../../src/domain/settings/validate-settings.ts'
import { describe, expect, it } from 'vitest'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'
import { validateSettings } from '../../../src/domain/settings/validate-settings.ts'
import { catalogFixture } from './catalog-fixture.ts'

type Change = (s: InvoiceDeskSettings) => InvoiceDeskSettings
const base = defaultSettings()
const invoice = (patch: Partial<InvoiceDeskSettings['invoice']>): Change => s => ({ ...s, invoice: { ...s.invoice, ...patch } })
const deal = (patch: Partial<InvoiceDeskSettings['deal']>): Change => s => ({ ...s, deal: { ...s.deal, ...patch } })
const reminders = (patch: Partial<InvoiceDeskSettings['reminders']>): Change => s => ({ ...s, reminders: { ...s.reminders, ...patch } })
const notifications = (patch: Partial<InvoiceDeskSettings['notifications']>): Change => s => ({ ...s, notifications: { ...s.notifications, ...patch } })
const invoiceEmail = (lang: 'ru' | 'en', patch: { subject?: string, body?: string }): Change => s => ({
  ...s,
  email: { ...s.email, templates: { ...s.email.templates, invoice: { ...s.email.templates.invoice, [lang]: { ...s.email.templates.invoice[lang], ...patch } } } },
})
const closingEmail = (lang: 'ru' | 'en', patch: { subject?: string, body?: string }): Change => s => ({
  ...s,
  invoice: { ...s.invoice, closingDocumentEmail: { ...s.invoice.closingDocumentEmail!, [lang]: { ...s.invoice.closingDocumentEmail![lang], ...patch } } },
})

const cases: Array<[string, Change, SettingsIssue[]]> = [
  ['a closing e-mail with an empty subject', closingEmail('ru', { subject: ' ' }), [{ path: 'invoice.closingDocumentEmail.ru.subject', code: 'subjectEmpty' }]],
  ['a closing e-mail with an unknown variable', closingEmail('en', { body: 'Your {document.nam}' }), [{ path: 'invoice.closingDocumentEmail.en.body', code: 'unknownVariable', params: { name: '{document.nam}' } }]],
  ['a closing e-mail with an unbalanced {', closingEmail('ru', { body: 'Документ {document.name' }), [{ path: 'invoice.closingDocumentEmail.ru.body', code: 'unbalancedBrace' }]],
  ['{document.name} in the invoice e-mail (the closing e-mail\'s own variable)', invoiceEmail('ru', { body: 'Счёт {document.name}' }), [{ path: 'email.templates.invoice.ru.body', code: 'unknownVariable', params: { name: '{document.name}' } }]],
  ['a journal kept less than a week', s => ({ ...s, journal: { ...s.journal, keepDays: 3 } }), [{ path: 'journal.keepDays', code: 'outOfRange', params: { min: 7, max: 365 } }]],
  ['a journal kept for years', s => ({ ...s, journal: { ...s.journal, keepDays: 1000 } }), [{ path: 'journal.keepDays', code: 'outOfRange', params: { min: 7, max: 365 } }]],
  ['a negative payment term', invoice({ paymentTermDays: { b2b: -1, b2c: 3 } }), [{ path: 'invoice.paymentTermDays.b2b', code: 'outOfRange', params: { min: 0, max: 365 } }]],
  ['an absurd payment term', invoice({ paymentTermDays: { b2b: 5, b2c: 3650 } }), [{ path: 'invoice.paymentTermDays.b2c', code: 'outOfRange', params: { min: 0, max: 365 } }]],
  ['a fractional payment term', invoice({ paymentTermDays: { b2b: 2.5, b2c: 3 } }), [{ path: 'invoice.paymentTermDays.b2b', code: 'outOfRange', params: { min: 0, max: 365 } }]],
  ['a company term for a company that does not exist', invoice({ companyTerms: [{ companyId: 99, days: 10 }] }), [{ path: 'invoice.companyTerms.0.companyId', code: 'companyMissing' }]],
  ['the same company twice', invoice({ companyTerms: [{ companyId: 7, days: 10 }, { companyId: 7, days: 20 }] }), [{ path: 'invoice.companyTerms.1.companyId', code: 'duplicate' }]],
  ['a negative company term', invoice({ companyTerms: [{ companyId: 7, days: -2 }] }), [{ path: 'invoice.companyTerms.0.days', code: 'outOfRange', params: { min: 0, max: 365 } }]],
  ['a sent stage that no longer exists', invoice({ sentStageId: 'DT31_5:UC_GONE' }), [{ path: 'invoice.sentStageId', code: 'stageMissing' }]],
  ['a sent stage of another pipeline', invoice({ categoryId: 5, sentStageId: 'DT31_9:S' }), [{ path: 'invoice.sentStageId', code: 'stageMissing' }]],
  ['a pipeline that no longer exists', invoice({ categoryId: 77 }), [{ path: 'invoice.categoryId', code: 'pipelineMissing' }]],
  ['a document template that no longer exists', invoice({ documentTemplateId: 14 }), [{ path: 'invoice.documentTemplateId', code: 'templateMissing' }]],
  ['our company that is not ours', invoice({ myCompanyId: 7 }), [{ path: 'invoice.myCompanyId', code: 'companyMissing' }]],
  ['a ready stage that no longer exists', deal({ readyStageIds: ['FINAL_INVOICE', 'UC_OLD'] }), [{ path: 'deal.readyStageIds', code: 'stageMissing', params: { id: 'UC_OLD' } }]],
  ['a deal stage after payment that no longer exists', deal({ stageAfterPaid: 'UC_OLD' }), [{ path: 'deal.stageAfterPaid', code: 'stageMissing' }]],
  ['a negative minimum amount', deal({ autoIssue: { ...base.deal.autoIssue, minAmount: { amountMinor: -100, currency: 'RUB' } } }), [{ path: 'deal.autoIssue.minAmount', code: 'amountNegative' }]],
  ['an empty subject', invoiceEmail('ru', { subject: '   ' }), [{ path: 'email.templates.invoice.ru.subject', code: 'subjectEmpty' }]],
  ['an empty English body', invoiceEmail('en', { body: '' }), [{ path: 'email.templates.invoice.en.body', code: 'bodyEmpty' }]],
  ['an unknown variable in a subject', invoiceEmail('ru', { subject: 'Счёт {invoice.numbr}' }), [{ path: 'email.templates.invoice.ru.subject', code: 'unknownVariable', params: { name: '{invoice.numbr}' } }]],
  ['an unknown variable in a body', invoiceEmail('en', { body: 'Dear {client.fullName}' }), [{ path: 'email.templates.invoice.en.body', code: 'unknownVariable', params: { name: '{client.fullName}' } }]],
  ['a sender address with a space', s => ({ ...s, email: { ...s.email, sender: { source: 'company', name: 'Бухгалтерия', address: 'a b@example.com', copyToSender: false } } }), [{ path: 'email.sender.address', code: 'senderAddressInvalid', params: { value: 'a b@example.com' } }]],
  ['a company sender without a valid address', s => ({ ...s, email: { ...s.email, sender: { source: 'company', name: 'Бухгалтерия', address: 'billing@example', copyToSender: false } } }), [{ path: 'email.sender.address', code: 'senderAddressInvalid', params: { value: 'billing@example' } }]],
  ['a company sender without a name', s => ({ ...s, email: { ...s.email, sender: { source: 'company', name: ' ', address: 'billing@example.com', copyToSender: false } } }), [{ path: 'email.sender.name', code: 'senderNameInvalid' }]],
  ['a company sender whose name would break the header', s => ({ ...s, email: { ...s.email, sender: { source: 'company', name: 'A <b>', address: 'billing@example.com', copyToSender: false } } }), [{ path: 'email.sender.name', code: 'senderNameInvalid' }]],
  ['a user to notify who no longer exists', notifications({ onPayment: { roles: [], userIds: [1, 99] } }), [{ path: 'notifications.onPayment', code: 'userMissing' }]],
  ['a task without a title', notifications({ tasks: [{ title: ' ', offsetDays: 3, anchor: 'issue', responsible: 'responsible' }] }), [{ path: 'notifications.tasks.0.title', code: 'titleEmpty' }]],
  ['a task a thousand days out', notifications({ tasks: [{ title: 'Позвонить', offsetDays: 1000, anchor: 'issue', responsible: 'responsible' }] }), [{ path: 'notifications.tasks.0.offsetDays', code: 'outOfRange', params: { min: -365, max: 365 } }]],
  ['a task title with an unknown variable', notifications({ tasks: [{ title: 'Позвонить {client}', offsetDays: 3, anchor: 'issue', responsible: 'responsible' }] }), [{ path: 'notifications.tasks.0.title', code: 'unknownVariable', params: { name: '{client}' } }]],
  ['a reminder 100 days before the due date', reminders({ steps: [{ offsetDays: -100, channel: 'email', templateId: 'reminderBeforeDue' }] }), [{ path: 'reminders.steps.0.offsetDays', code: 'outOfRange', params: { min: -60, max: 365 } }]],
  ['two identical reminder steps', reminders({ steps: [{ offsetDays: 3, channel: 'email', templateId: 'reminderOverdue' }, { offsetDays: 3, channel: 'email', templateId: 'reminderOnDue' }] }), [{ path: 'reminders.steps.1.offsetDays', code: 'duplicate' }]],
  ['a send hour of 24', reminders({ sendHour: 24 }), [{ path: 'reminders.sendHour', code: 'outOfRange', params: { min: 0, max: 23 } }]],
  ['an impossible holiday', reminders({ holidays: ['2026-01-01', '2026-02-30'] }), [{ path: 'reminders.holidays', code: 'dateInvalid', params: { value: '2026-02-30' } }]],
  ['a holiday in another format', reminders({ holidays: ['01.01.2026'] }), [{ path: 'reminders.holidays', code: 'dateInvalid', params: { value: '01.01.2026' } }]],
  ['a negative reminder minimum', reminders({ minAmount: { amountMinor: -1, currency: 'RUB' } }), [{ path: 'reminders.minAmount', code: 'amountNegative' }]],
  ['a repeat every 0 days', reminders({ repeat: { everyDays: 0, maxTimes: 3 } }), [{ path: 'reminders.repeat.everyDays', code: 'outOfRange', params: { min: 1, max: 90 } }]],
  ['a repeat every 91 days', reminders({ repeat: { everyDays: 91, maxTimes: 3 } }), [{ path: 'reminders.repeat.everyDays', code: 'outOfRange', params: { min: 1, max: 90 } }]],
  ['25 repeats', reminders({ repeat: { everyDays: 7, maxTimes: 25 } }), [{ path: 'reminders.repeat.maxTimes', code: 'outOfRange', params: { min: 1, max: 24 } }]],
  ['an override without a company', reminders({ companyOverrides: [{ companyId: 0, optOut: true, steps: null }] }), [{ path: 'reminders.companyOverrides.0.companyId', code: 'companyMissing' }]],
  ['two overrides for one company', reminders({ companyOverrides: [{ companyId: 7, optOut: true, steps: null }, { companyId: 7, optOut: false, steps: null }] }), [{ path: 'reminders.companyOverrides.1.companyId', code: 'duplicate' }]],
  ['an override step 100 days before the due date', reminders({ companyOverrides: [{ companyId: 7, optOut: false, steps: [{ offsetDays: -100, channel: 'email', templateId: 'reminderBeforeDue' }] }] }), [{ path: 'reminders.companyOverrides.0.steps.0.offsetDays', code: 'outOfRange', params: { min: -60, max: 365 } }]],
  ['an accountant who no longer exists', reminders({ escalationUserIds: [2, 99] }), [{ path: 'reminders.escalationUserIds', code: 'userMissing' }]],
  ['an impossible working weekend', reminders({ workingWeekends: ['2026-13-01'] }), [{ path: 'reminders.workingWeekends', code: 'dateInvalid', params: { value: '2026-13-01' } }]],
  ['21 reminder steps', reminders({ steps: Array.from({ length: 21 }, (_, i) => ({ ...{ offsetDays: 1, channel: 'email' as const, templateId: 'reminderOverdue' as const }, offsetDays: i })) }), [{ path: 'reminders.steps', code: 'tooMany', params: { max: 20 } }]],
  ['21 follow-up tasks', notifications({ tasks: Array.from({ length: 21 }, () => ({ title: 'Позвонить', offsetDays: 1, anchor: 'due' as const, responsible: 'responsible' as const })) }), [{ path: 'notifications.tasks', code: 'tooMany', params: { max: 20 } }]],
  ['a subject of 251 characters', invoiceEmail('ru', { subject: 'С'.repeat(251) }), [{ path: 'email.templates.invoice.ru.subject', code: 'tooLong', params: { max: 250 } }]],
  ['a body of a megabyte', invoiceEmail('en', { body: 'x'.repeat(1024 * 1024) }), [{ path: 'email.templates.invoice.en.body', code: 'tooLong', params: { max: 20000 } }, { path: 'document', code: 'tooLarge', params: { maxKb: 256 } }]],
  ['an unbalanced { in a body', invoiceEmail('ru', { body: 'Оплатите счёт {invoice.number до {invoice.dueDate}' }), [{ path: 'email.templates.invoice.ru.body', code: 'unbalancedBrace' }]],
  ['a { left open at the end of a subject', invoiceEmail('en', { subject: 'Invoice {' }), [{ path: 'email.templates.invoice.en.subject', code: 'unbalancedBrace' }]],
  ['a repeat every 0 days', reminders({ repeat: { everyDays: 0, maxTimes: 3 } }), [{ path: 'reminders.repeat.everyDays', code: 'outOfRange', params: { min: 1, max: 90 } }]],
]

describe('domain/settings/validate-settings', () => {
  it('accepts the defaults and a fully chosen valid document', () => {
    expect(validateSettings(base, catalogFixture())).toEqual([])
    const chosen = invoice({ categoryId: 5, sentStageId: 'DT31_5:S', documentTemplateId: 12, myCompanyId: 1, companyTerms: [{ companyId: 7, days: 30 }] })(base)
    expect(validateSettings(deal({ readyStageIds: ['FINAL_INVOICE'], stageAfterSent: 'FINAL_INVOICE', stageAfterPaid: 'WON' })(chosen), catalogFixture())).toEqual([])
  })

  it.each(cases)('refuses %s', (_name, change, expected) => {
    expect(validateSettings(change(base), catalogFixture())).toEqual(expected)
  })

  it('without a catalog (the runner: a webhook lists no catalog) judges every value but no reference', () => {
    const broken = invoice({ categoryId: 77, documentTemplateId: 14, paymentTermDays: { b2b: -5, b2c: 3 } })(reminders({ sendHour: 25 })(base))
    expect(validateSettings(broken, null).map(issue => issue.path)).toEqual(['invoice.paymentTermDays.b2b', 'reminders.sendHour'])
  })

  it('reports every problem at once, not just the first', () => {
    const broken = invoice({ paymentTermDays: { b2b: -1, b2c: 999 }, documentTemplateId: 14 })(reminders({ sendHour: -1 })(base))
    expect(validateSettings(broken, catalogFixture()).map(issue => issue.path)).toEqual([
      'invoice.documentTemplateId', 'invoice.paymentTermDays.b2b', 'invoice.paymentTermDays.b2c', 'reminders.sendHour',
    ])
  })

  it('accepts the v2 reminder fields when they are right, and any accountant when the portal lists no users', () => {
    const chosen = reminders({
      repeat: { everyDays: 90, maxTimes: 24 },
      companyOverrides: [{ companyId: 7, optOut: true, steps: null }, { companyId: 12345, optOut: false, steps: [{ offsetDays: 5, channel: 'notify', templateId: 'reminderOverdue' }] }],
      escalationUserIds: [1, 2],
      workingWeekends: ['2027-11-13'],
    })(base)
    expect(validateSettings(chosen, catalogFixture())).toEqual([])
    expect(validateSettings(reminders({ escalationUserIds: [99] })(base), catalogFixture({ users: [] }))).toEqual([])
  })

  it('judges existence against the portal as it is now', () => {
    const settings = invoice({ documentTemplateId: 12 })(base)
    expect(validateSettings(settings, catalogFixture())).toEqual([])
    expect(validateSettings(settings, catalogFixture({ documentTemplates: [{ id: 11, name: 'Счёт на оплату' }] })))
      .toEqual([{ path: 'invoice.documentTemplateId', code: 'templateMissing' }])
  })
})
