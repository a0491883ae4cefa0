import type { ReminderFacts } from '../../../src/domain/collection/reminder-messages.ts'
import type { IssueFacts } from '../../../src/domain/issue/issue-messages.ts'
import type { SubscriptionNotice } from '../../../src/domain/subscription/subscription-notices.ts'
import { describe, expect, it } from 'vitest'
import { reminderNotificationText, reminderRecordSentence, reminderTaskTitle } from '../../../src/domain/collection/reminder-messages.ts'
import { cancelledLogEntry, disputeLogEntry, paidLogEntry, paidNotificationText, partPaymentLogEntry } from '../../../src/domain/invoice-action-messages.ts'
import { issuedLogEntry, issuedNotificationText, issuedTaskTitle } from '../../../src/domain/issue/issue-messages.ts'
import { noticeText } from '../../../src/domain/subscription/subscription-messages.ts'
import { makeInvoice } from '../fixtures.ts'

/** A name that turns into a link, a mention and a quote when BB codes are rendered. */
const EVIL = '[URL=https://evil.example]Ромашка[/URL] [user=all]все[/user]\n>>цитата'
const money = { amountMinor: 150_000, currency: 'RUB' }
const invoice = makeInvoice({ number: '[b]12[/b]' })

function issueFacts(): IssueFacts {
  return {
    plan: { invoice: { amount: money, issueDate: '2026-11-01', dueDate: '2026-11-30' }, client: { name: EVIL, email: 'a@example.com' } },
    invoiceNumber: '[b]12[/b]',
    documentUrl: null,
    paymentUrl: null,
    managerName: 'Иван',
    managerEmail: '',
    managerPhone: '',
    companyName: '[color=#f00]Мы[/color]',
    dealTitle: EVIL,
  } as unknown as IssueFacts
}

const reminderFacts: ReminderFacts = {
  invoice,
  stepKey: '+7',
  balance: money,
  daysOverdue: 7,
  clientName: EVIL,
  managerName: 'Иван',
  managerEmail: '',
  managerPhone: '',
  companyName: '',
  documentUrl: null,
}

const notices: SubscriptionNotice[] = [
  { kind: 'endsSoon', key: 'endsSoon:2026-12-31', endsOn: '2026-12-31' },
  { kind: 'unpaid', key: 'unpaid:p1', invoice: { purpose: 'p1' as never, invoiceId: 5, number: '[b]12[/b]', dueDate: '2026-11-30', closed: null } },
]

/** Every text the app builds for a notification, a task or a timeline entry from outside data. */
const BUILT: ReadonlyArray<readonly [string, () => string]> = [
  ['the issue notification', () => issuedNotificationText(issueFacts(), 'ru')],
  ['the issue timeline entry', () => issuedLogEntry(issueFacts(), 'en').text],
  ['the issue task title', () => issuedTaskTitle('Позвонить {client.name} по счёту {invoice.number} ({deal.title}, {company.name})', issueFacts(), 'ru')],
  ['the paid notification', () => paidNotificationText(invoice, '2026-11-20', 'ru')],
  ['the paid timeline entry', () => paidLogEntry(invoice, '2026-11-20', 'en', money).text],
  ['the part payment entry', () => partPaymentLogEntry(invoice, money, '2026-11-20', money, 'ru').text],
  ['the cancelled entry', () => cancelledLogEntry(invoice, 'ru').text],
  ['the dispute entry', () => disputeLogEntry(true, EVIL, 'ru').text],
  ['the closed dispute entry', () => disputeLogEntry(false, EVIL, 'en').text],
  ['the reminder notification', () => reminderNotificationText(reminderFacts, 'notify', 'ru')],
  ['the escalation', () => reminderNotificationText(reminderFacts, 'escalate', 'en')],
  ['the reminder task title', () => reminderTaskTitle(reminderFacts, 'ru')],
  ['the reminder record', () => reminderRecordSentence('+7', 'email', EVIL, 'ru')],
  ['the subscription ends-soon notice', () => noticeText(notices[0]!, EVIL, 'ru')],
  ['the subscription unpaid notice', () => noticeText(notices[1]!, EVIL, 'en')],
]

describe('domain/text: no outside name turns into BB code', () => {
  it.each(BUILT)('%s has no tag, no line break from a name, no quote', (_, build) => {
    const text = build()
    expect(text).not.toMatch(/\[\/?(?:url|user|b|color)\b/i)
    expect(text).not.toContain('>>')
    expect(text).not.toContain('\n')
  })

  it('keeps the name readable', () => {
    expect(issuedNotificationText(issueFacts(), 'ru')).toContain('«［URL=https://evil.example］Ромашка［/URL］ ［user=all］все［/user］ > >цитата»')
  })
})
