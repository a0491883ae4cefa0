import type { Invoice } from '../../src/domain/invoice.ts'
import type { Stage } from '../../src/domain/stage.ts'

/** Invoice stages as a fresh portal has them (category 5, short SEMANTICS only). */
export const invoiceStages: Stage[] = [
  { id: 'DT31_5:N', name: 'Новый', sort: 10, categoryId: 5, semantics: 'process', color: null },
  { id: 'DT31_5:S', name: 'Отправлен', sort: 20, categoryId: 5, semantics: 'process', color: null },
  { id: 'DT31_5:UC_WAIT', name: 'Ждём оплату', sort: 30, categoryId: 5, semantics: 'process', color: null },
  { id: 'DT31_5:P', name: 'Оплачен', sort: 40, categoryId: 5, semantics: 'success', color: null },
  { id: 'DT31_5:D', name: 'Отклонён', sort: 50, categoryId: 5, semantics: 'failure', color: null },
]

/** An invoice with sensible defaults; override what the case is about. */
export function makeInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    id: 1,
    title: 'Счёт №1',
    number: '1',
    dealId: 10,
    stageId: 'DT31_5:S',
    categoryId: 5,
    issueDate: '2026-11-01',
    dueDate: '2026-11-30',
    amount: { amountMinor: 1_500_000, currency: 'RUB' },
    companyId: 3,
    contactId: null,
    responsibleId: 2,
    ...overrides,
  }
}
