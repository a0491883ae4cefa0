import type { TemplateValues } from '../../domain/template/template-variables.ts'
import type { Locale } from '../../i18n/messages.ts'
import type { TemplateSample } from '../../portal/settings-catalog.ts'
import { formatCalendarDate, formatMoney } from '../../domain/format.ts'

/** Made-up values for a portal without invoices yet. */
const DEMO_SAMPLE: TemplateSample = {
  invoiceNumber: '2026-0042',
  amount: { amountMinor: 12_500_000, currency: 'RUB' },
  issueDate: '2026-12-01',
  dueDate: '2026-12-06',
  clientName: 'ООО «Ромашка»',
  dealTitle: 'Поставка оборудования',
  managerName: 'Иван Петров',
  managerEmail: 'ivan.petrov@example.com',
}

/**
 * Values for the template preview, formatted for the e-mail's language: a real invoice of the
 * portal when there is one (`sample`), made-up data otherwise. Links are placeholders: the real
 * ones exist only once an invoice's document is generated.
 */
export function previewValues(sample: TemplateSample | null, companyName: string, language: Locale): TemplateValues {
  const source = sample ?? DEMO_SAMPLE
  const date = (value: string | null) => (value ? formatCalendarDate(value, language) : '')
  return {
    'invoice.number': source.invoiceNumber,
    'invoice.sum': formatMoney(source.amount, language),
    'invoice.balance': formatMoney(source.amount, language),
    'invoice.issueDate': date(source.issueDate),
    'invoice.dueDate': date(source.dueDate),
    'invoice.daysOverdue': '3',
    'client.name': source.clientName,
    'deal.title': source.dealTitle,
    'manager.name': source.managerName,
    'manager.email': source.managerEmail,
    'manager.phone': '+7 495 000-00-00',
    'company.name': companyName,
    'payment.link': 'https://pay.example/invoice',
    'document.link': 'https://portal.example/~doc',
  }
}
