import type { InvoiceState } from '../../domain/invoice-state.ts'
import type { Translator } from '../../i18n/translate.ts'

/** Badge colours of the b24ui kit, by invoice state: a styling variant kept out of templates. */
export const stateColors = {
  draft: 'air-secondary',
  sent: 'air-primary',
  dueToday: 'air-primary-warning',
  overdue: 'air-primary-alert',
  paid: 'air-primary-success',
  cancelled: 'air-tertiary',
} as const

export type StateTone = keyof typeof stateColors

/** The tone of a state: a sent invoice due today gets its own warning tone. */
export function stateTone(state: InvoiceState): StateTone {
  if (state.kind === 'sent' && state.daysLeft === 0)
    return 'dueToday'
  return state.kind
}

/** The words for a state: «Просрочен на 3 дня», «Осталось 2 дня», «Срок сегодня», «Оплачен». */
export function stateLabel(state: InvoiceState, { t }: Translator): string {
  switch (state.kind) {
    case 'draft': return t('invoice.state.draft')
    case 'paid': return t('invoice.state.paid')
    case 'cancelled': return t('invoice.state.cancelled')
    case 'overdue': return t('invoice.state.overdue', { n: state.days })
    case 'sent':
      if (state.daysLeft === null)
        return t('invoice.state.sent')
      return state.daysLeft === 0 ? t('invoice.state.dueToday') : t('invoice.state.dueIn', { n: state.daysLeft })
  }
}
