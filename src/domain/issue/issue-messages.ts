import type { Locale } from '../format.ts'
import type { TemplateValues } from '../template/template-variables.ts'
import type { IssuePlan } from './issue-plan.ts'
import { formatCalendarDate, formatMoney } from '../format.ts'
import { renderTemplate } from '../template/render-template.ts'
import { escapeBbCode, escapeBbCodeValues } from '../text/bb-code.ts'

/** What the rendered e-mail and the portal-side texts need to know besides the plan. */
export interface IssueFacts {
  readonly plan: IssuePlan
  readonly invoiceNumber: string
  readonly documentUrl: string | null
  readonly paymentUrl: string | null
  readonly managerName: string
  readonly managerEmail: string
  readonly managerPhone: string
  readonly companyName: string
  readonly dealTitle: string
}

/**
 * What a dry run puts where the invoice's number and public link will be (neither exists before the
 * invoice and its document are created): sample values, each marked as a sample, never an empty place.
 */
export const DRY_RUN_SAMPLES: Readonly<Record<Locale, { readonly invoiceNumber: string, readonly link: string }>> = {
  ru: { invoiceNumber: '0042 (пример)', link: 'https://portal.example/pub/invoice-sample' },
  en: { invoiceNumber: '0042 (sample)', link: 'https://portal.example/pub/invoice-sample' },
}

/** Values for the e-mail template, formatted for a reader of `locale`. Links stay raw; rendering escapes. */
export function issueTemplateValues(facts: IssueFacts, locale: Locale): TemplateValues {
  const { invoice, client } = facts.plan
  return {
    'invoice.number': facts.invoiceNumber,
    'invoice.sum': formatMoney(invoice.amount, locale),
    'invoice.balance': formatMoney(invoice.amount, locale),
    'invoice.issueDate': formatCalendarDate(invoice.issueDate, locale),
    'invoice.dueDate': formatCalendarDate(invoice.dueDate, locale),
    'invoice.daysOverdue': '0',
    'client.name': client.name,
    'deal.title': facts.dealTitle,
    'manager.name': facts.managerName,
    'manager.email': facts.managerEmail,
    'manager.phone': facts.managerPhone,
    'company.name': facts.companyName,
    'document.link': facts.documentUrl ?? '',
    'payment.link': facts.paymentUrl ?? facts.documentUrl ?? '',
  }
}

/** The facts with every outside text (numbers, names, titles, e-mail) made inert for BB code. */
function inert(f: IssueFacts): IssueFacts {
  const client = { ...f.plan.client, name: escapeBbCode(f.plan.client.name), email: escapeBbCode(f.plan.client.email) }
  return { ...f, plan: { ...f.plan, client }, invoiceNumber: escapeBbCode(f.invoiceNumber), dealTitle: escapeBbCode(f.dealTitle), companyName: escapeBbCode(f.companyName) }
}

const TEXTS = {
  ru: {
    notify: (f: IssueFacts) => `Счёт № ${f.invoiceNumber} на ${formatMoney(f.plan.invoice.amount, 'ru')} выставлен и отправлен клиенту «${f.plan.client.name}» (${f.plan.client.email}). Срок оплаты — ${formatCalendarDate(f.plan.invoice.dueDate, 'ru')}.`,
    dealLogTitle: 'Счёт выставлен и отправлен',
    log: (f: IssueFacts) => `Счёт № ${f.invoiceNumber} на ${formatMoney(f.plan.invoice.amount, 'ru')} отправлен на ${f.plan.client.email}. Оплатить до ${formatCalendarDate(f.plan.invoice.dueDate, 'ru')}.${f.documentUrl ? ` Документ: ${f.documentUrl}` : ''}`,
  },
  en: {
    notify: (f: IssueFacts) => `Invoice ${f.invoiceNumber} for ${formatMoney(f.plan.invoice.amount, 'en')} was issued and sent to ${f.plan.client.name} (${f.plan.client.email}). Due on ${formatCalendarDate(f.plan.invoice.dueDate, 'en')}.`,
    dealLogTitle: 'Invoice issued and sent',
    log: (f: IssueFacts) => `Invoice ${f.invoiceNumber} for ${formatMoney(f.plan.invoice.amount, 'en')} was sent to ${f.plan.client.email}. Due on ${formatCalendarDate(f.plan.invoice.dueDate, 'en')}.${f.documentUrl ? ` Document: ${f.documentUrl}` : ''}`,
  },
} as const

/** The manager's notification after sending, in the portal's language; outside texts BB-inert (`escapeBbCode`). */
export function issuedNotificationText(facts: IssueFacts, locale: Locale): string {
  return TEXTS[locale].notify(inert(facts))
}

/** Title and text of the timeline entries written on the deal and the invoice. */
export function issuedLogEntry(facts: IssueFacts, locale: Locale): { title: string, text: string } {
  return { title: TEXTS[locale].dealLogTitle, text: TEXTS[locale].log(inert(facts)) }
}

/** A follow-up task's title from the admin's `template`, every value made inert for BB code. */
export function issuedTaskTitle(template: string, facts: IssueFacts, locale: Locale): string {
  return renderTemplate(template, escapeBbCodeValues(issueTemplateValues(facts, locale)), 'text')
}
