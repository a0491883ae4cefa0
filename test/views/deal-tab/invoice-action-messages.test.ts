import type { ClosingOutcome } from '../../../src/flows/closing-document.ts'
import type { RowActionResult } from '../../../src/stores/invoice-actions.ts'
import { describe, expect, it } from 'vitest'
import { createTranslator } from '../../../src/i18n/translate.ts'
import { actionOutcome } from '../../../src/views/deal-tab/invoice-action-messages.ts'

const invoice = { id: 7, title: 'Счёт', number: 'СЧ-7', dealId: 3, stageId: 'DT31_5:P', categoryId: 5, issueDate: '2026-12-01', dueDate: '2026-12-06', amount: { amountMinor: 100_00, currency: 'RUB' }, companyId: 2, contactId: 4, responsibleId: 1 } as const
const paid = (closing?: ClosingOutcome) => ({ status: 'done', action: 'markPaid', invoice, stageId: 'DT31_5:P', ...(closing ? { closing } : {}) }) as unknown as RowActionResult

describe('views/deal-tab/invoice-action-messages: the closing document after «Оплачен»', () => {
  it.each([
    ['none configured', undefined, 'Счёт СЧ-7 отмечен оплаченным.', 'air-primary-success'],
    ['sent', { status: 'sent', invoice, documentId: 1, to: 'a@b.ru' }, 'Счёт СЧ-7 отмечен оплаченным. Закрывающий документ отправлен клиенту на a@b.ru.', 'air-primary-success'],
    ['refused', { status: 'failed', invoice, part: 'email', error: new Error('x') }, 'Закрывающий документ не отправлен', 'air-primary-warning'],
    ['no answer', { status: 'unknown', invoice, error: new Error('x') }, 'письмо могло уйти', 'air-primary-warning'],
    ['no address', { status: 'skipped', invoice, reason: 'noEmail' }, 'у клиента нет e-mail', 'air-primary-warning'],
    ['already sent', { status: 'skipped', invoice, reason: 'alreadySent' }, 'Счёт СЧ-7 отмечен оплаченным.', 'air-primary-success'],
  ] as const)('%s', (_, closing, text, color) => {
    const outcome = actionOutcome(paid(closing as ClosingOutcome | undefined), createTranslator('ru'))!
    expect(outcome.text).toContain(text)
    expect(outcome.color).toBe(color)
  })
})
