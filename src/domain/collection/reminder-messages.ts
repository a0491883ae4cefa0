import type { CalendarDate } from '../calendar-date.ts'
import type { Locale } from '../format.ts'
import type { Invoice } from '../invoice.ts'
import type { Money } from '../money.ts'
import type { ReminderRecordStatus } from './collection-state.ts'
import type { ReminderChannel, ReminderStep } from '../settings/settings.ts'
import type { TemplateValues } from '../template/template-variables.ts'
import { formatCalendarDate, formatMoney } from '../format.ts'
import { escapeBbCode } from '../text/bb-code.ts'

/** What a reminder says about one invoice. */
export interface ReminderFacts {
  readonly invoice: Invoice
  readonly stepKey: string
  readonly balance: Money
  readonly daysOverdue: number
  readonly clientName: string
  readonly managerName: string
  readonly managerEmail: string
  readonly managerPhone: string
  readonly companyName: string
  readonly documentUrl: string | null
}

const numberOf = (invoice: Invoice): string => invoice.number || String(invoice.id)
const date = (value: CalendarDate | null, locale: Locale): string => (value ? formatCalendarDate(value, locale) : '—')

/** The template values of one invoice's reminder e-mail. */
export function reminderTemplateValues(facts: ReminderFacts, locale: Locale): TemplateValues {
  const { invoice } = facts
  return {
    'invoice.number': numberOf(invoice),
    'invoice.sum': formatMoney(invoice.amount, locale),
    'invoice.balance': formatMoney(facts.balance, locale),
    'invoice.issueDate': date(invoice.issueDate, locale),
    'invoice.dueDate': date(invoice.dueDate, locale),
    'invoice.daysOverdue': String(facts.daysOverdue),
    'client.name': facts.clientName,
    'manager.name': facts.managerName,
    'manager.email': facts.managerEmail,
    'manager.phone': facts.managerPhone,
    'company.name': facts.companyName,
    'document.link': facts.documentUrl ?? '',
    'payment.link': facts.documentUrl ?? '',
  }
}

/** `-3` → "за 3 дн. до срока", `0` → "в день срока", `+7` → "через 7 дн. после срока", `r2` → "повтор 2". */
export function stepLabel(stepKey: string, locale: Locale): string {
  const repeat = /^r(\d+)$/.exec(stepKey)
  if (repeat)
    return locale === 'ru' ? `повтор ${repeat[1]}` : `repeat ${repeat[1]}`
  const base = /^([+-]?\d+)/.exec(stepKey)
  if (!base)
    return locale === 'ru' ? 'без срока оплаты' : 'no due date'
  const offset = Number(base[1])
  if (offset === 0)
    return locale === 'ru' ? 'в день срока' : 'on the due date'
  if (offset < 0)
    return locale === 'ru' ? `за ${-offset} дн. до срока` : `${-offset} days before due`
  return locale === 'ru' ? `через ${offset} дн. после срока` : `${offset} days overdue`
}

/** The key of a base step, as the schedule writes it: `-3`, `0`, `+7`. */
export function baseStepKey(step: Pick<ReminderStep, 'offsetDays'>): string {
  return step.offsetDays > 0 ? `+${step.offsetDays}` : String(step.offsetDays)
}

const CHANNEL: Readonly<Record<Locale, Readonly<Record<ReminderChannel, string>>>> = {
  ru: { email: 'письмо клиенту', task: 'задача ответственному', notify: 'уведомление ответственному', escalate: 'эскалация' },
  en: { email: 'e-mail to the client', task: 'task for the responsible', notify: 'notification to the responsible', escalate: 'escalation' },
}

export function channelLabel(channel: ReminderChannel, locale: Locale): string {
  return CHANNEL[locale][channel]
}

/** One line per invoice in a grouped e-mail or a notification. */
function invoiceLine(facts: ReminderFacts, locale: Locale): string {
  const { invoice } = facts
  const overdue = facts.daysOverdue > 0
    ? (locale === 'ru' ? `, просрочен на ${facts.daysOverdue} дн.` : `, ${facts.daysOverdue} days overdue`)
    : ''
  return locale === 'ru'
    ? `Счёт № ${numberOf(invoice)} от ${date(invoice.issueDate, locale)}: к оплате ${formatMoney(facts.balance, locale)}, срок ${date(invoice.dueDate, locale)}${overdue}${facts.documentUrl ? `. Счёт: ${facts.documentUrl}` : ''}`
    : `Invoice ${numberOf(invoice)} of ${date(invoice.issueDate, locale)}: ${formatMoney(facts.balance, locale)} due on ${date(invoice.dueDate, locale)}${overdue}${facts.documentUrl ? `. Invoice: ${facts.documentUrl}` : ''}`
}

/** Subject and plain body of one e-mail listing several invoices of one client (grouping on). */
export function groupedReminderText(items: readonly ReminderFacts[], locale: Locale): { subject: string, body: string } {
  const first = items[0]!
  const numbers = items.map(item => `№ ${numberOf(item.invoice)}`).join(', ')
  const lines = items.map(item => `• ${invoiceLine(item, locale)}`).join('\n')
  return locale === 'ru'
    ? {
        subject: `Напоминание об оплате счетов ${numbers}`,
        body: `Здравствуйте, ${first.clientName}!\n\nНапоминаем об оплате счетов:\n${lines}\n\nЕсли вы уже оплатили, пришлите, пожалуйста, платёжное поручение.\n\nС уважением,\n${first.managerName}\n${first.companyName}`,
      }
    : {
        subject: `Payment reminder: invoices ${numbers.replaceAll('№ ', '')}`,
        body: `Dear ${first.clientName},\n\nA reminder about these invoices:\n${lines}\n\nIf you have already paid, please send us the payment confirmation.\n\nBest regards,\n${first.managerName}\n${first.companyName}`,
      }
}

/** The facts with the client's name and the invoice number made inert for BB code (notifications, tasks). */
function inert(facts: ReminderFacts): ReminderFacts {
  return { ...facts, clientName: escapeBbCode(facts.clientName), invoice: { ...facts.invoice, number: escapeBbCode(numberOf(facts.invoice)) } }
}

/** The responsible's notification (notify / escalate) about one invoice; outside texts BB-inert. */
export function reminderNotificationText(reminder: ReminderFacts, channel: ReminderChannel, locale: Locale): string {
  const facts = inert(reminder)
  const prefix = channel === 'escalate'
    ? (locale === 'ru' ? 'Эскалация: клиент не оплатил счёт. ' : 'Escalation: the client has not paid. ')
    : (locale === 'ru' ? 'Напоминание об оплате. ' : 'Payment reminder. ')
  return `${prefix}${facts.clientName}. ${invoiceLine(facts, locale)}`
}

/** The follow-up task of a `task` step; outside texts BB-inert. */
export function reminderTaskTitle(reminder: ReminderFacts, locale: Locale): string {
  const facts = inert(reminder)
  // The step is part of the title: a later sweep finds this very task by it (a repeat has its own).
  const step = stepLabel(facts.stepKey, locale)
  return locale === 'ru'
    ? `Связаться с клиентом «${facts.clientName}» по счёту № ${numberOf(facts.invoice)} (${formatMoney(facts.balance, locale)}, ${step})`
    : `Contact ${facts.clientName} about invoice ${numberOf(facts.invoice)} (${formatMoney(facts.balance, locale)}, ${step})`
}

const RECORD_TITLE: Readonly<Record<Locale, Readonly<Record<ReminderRecordStatus, string>>>> = {
  ru: { claim: 'Invoice Desk: напоминание готовится', sent: 'Invoice Desk: напоминание отправлено', skipped: 'Invoice Desk: напоминание пропущено', failed: 'Invoice Desk: напоминание не отправлено', unknown: 'Invoice Desk: не известно, ушло ли напоминание' },
  en: { claim: 'Invoice Desk: reminder being sent', sent: 'Invoice Desk: reminder sent', skipped: 'Invoice Desk: reminder skipped', failed: 'Invoice Desk: reminder failed', unknown: 'Invoice Desk: reminder outcome unknown' },
}

/** The timeline title of a reminder record. */
export function reminderRecordTitle(status: ReminderRecordStatus, locale: Locale): string {
  return RECORD_TITLE[locale][status]
}

/** The sentence of a reminder record: which step, which channel, to whom or why not. */
export function reminderRecordSentence(stepKey: string, channel: ReminderChannel, detail: string, locale: Locale): string {
  return `${stepLabel(stepKey, locale)} · ${channelLabel(channel, locale)}${detail ? ` · ${escapeBbCode(detail)}` : ''}`
}
