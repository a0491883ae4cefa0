/** The directories every portal has: users, stages, pipelines, currencies (same for every data set). */
import { formatPortalDateTime } from '../core/portal-time.ts'
import type { AppTrigger, Category, Currency, DocumentTemplate, PortalUser, StatusEntry } from './portal-state.ts'

export const INVOICE_CATEGORY_ID = 5
export const INVOICE_STAGE_PREFIX = `DT31_${INVOICE_CATEGORY_ID}`
export const INVOICE_STAGE_ENTITY_ID = `SMART_INVOICE_STAGE_${INVOICE_CATEGORY_ID}`

export const invoiceStage = {
  draft: `${INVOICE_STAGE_PREFIX}:N`,
  sent: `${INVOICE_STAGE_PREFIX}:S`,
  awaiting: `${INVOICE_STAGE_PREFIX}:UC_K4BLQ2`,
  paid: `${INVOICE_STAGE_PREFIX}:P`,
  declined: `${INVOICE_STAGE_PREFIX}:D`,
} as const

/** Мария Смирнова (3), a manager, has no mailbox connected to CRM: her deals' e-mails need `MESSAGE_FROM`. */
export function createUsers(): PortalUser[] {
  const base = { timeZone: 'Europe/Moscow', secondName: '', dateRegister: '2023-02-01T00:00:00+03:00', active: true, canModifyDocumentTemplates: false }
  return [
    { ...base, id: 1, name: 'Анна', lastName: 'Администраторова', secondName: 'Сергеевна', email: 'anna.admin@invoice-desk.example', role: 'admin', isAdmin: true, canModifyDocumentTemplates: true, gender: 'F', workPosition: 'Администратор портала', crmMailbox: true },
    { ...base, id: 2, name: 'Иван', lastName: 'Петров', email: 'ivan.petrov@invoice-desk.example', role: 'manager', isAdmin: false, gender: 'M', workPosition: 'Менеджер по продажам', crmMailbox: true },
    { ...base, id: 3, name: 'Мария', lastName: 'Смирнова', email: 'maria.smirnova@invoice-desk.example', role: 'manager', isAdmin: false, gender: 'F', workPosition: 'Менеджер по продажам', crmMailbox: false },
    { ...base, id: 4, name: 'Ольга', lastName: 'Бухгалтерова', email: 'olga.buh@invoice-desk.example', role: 'accountant', isAdmin: false, gender: 'F', workPosition: 'Главный бухгалтер', crmMailbox: true },
  ]
}

type Semantics = 'process' | 'success' | 'failure'

function dealStage(id: number, statusId: string, name: string, sort: number, color: string, semantics: Semantics, system: boolean): StatusEntry {
  return {
    ID: String(id), ENTITY_ID: 'DEAL_STAGE', STATUS_ID: statusId, NAME: name, NAME_INIT: system ? name : '', SORT: String(sort),
    SYSTEM: system ? 'Y' : 'N', CATEGORY_ID: null, COLOR: color,
    SEMANTICS: semantics === 'success' ? 'S' : semantics === 'failure' ? 'F' : null, EXTRA: { SEMANTICS: semantics, COLOR: color },
  }
}

/** Invoice stages: only the short SEMANTICS is filled (R: tutorials/crm/how-to-get-lists/how-to-get-stages-with-semantics.md). */
function invoiceStageEntry(id: number, statusId: string, name: string, sort: number, color: string, semantics: 'S' | 'F' | null, system: boolean): StatusEntry {
  return {
    ID: String(id), ENTITY_ID: INVOICE_STAGE_ENTITY_ID, STATUS_ID: statusId, NAME: name, NAME_INIT: system ? name : '',
    SORT: String(sort), SYSTEM: system ? 'Y' : 'N', CATEGORY_ID: String(INVOICE_CATEGORY_ID), COLOR: color, SEMANTICS: semantics,
  }
}

export function createStatuses(): StatusEntry[] {
  return [
    dealStage(101, 'NEW', 'Новая', 10, '#39A8EF', 'process', true),
    dealStage(103, 'PREPARATION', 'Подготовка документов', 20, '#2FC6F6', 'process', false),
    dealStage(105, 'PREPAYMENT_INVOICE', 'Счёт на предоплату', 30, '#55D0E0', 'process', false),
    dealStage(107, 'EXECUTING', 'В работе', 40, '#47E4C2', 'process', false),
    dealStage(109, 'FINAL_INVOICE', 'Финальный счёт', 50, '#FFA900', 'process', false),
    dealStage(111, 'WON', 'Сделка успешна', 60, '#7BD500', 'success', true),
    dealStage(113, 'LOSE', 'Сделка провалена', 70, '#FF5752', 'failure', true),
    invoiceStageEntry(201, invoiceStage.draft, 'Новый', 10, '#22B9FF', null, true),
    invoiceStageEntry(203, invoiceStage.sent, 'Отправлен клиенту', 20, '#FFA900', null, true),
    invoiceStageEntry(205, invoiceStage.awaiting, 'Ожидает оплаты', 30, '#FFD000', null, false),
    invoiceStageEntry(207, invoiceStage.paid, 'Оплачен', 40, '#7BD500', 'S', true),
    invoiceStageEntry(209, invoiceStage.declined, 'Отклонён', 50, '#FF5752', 'F', true),
  ]
}

export function createCategories(): Category[] {
  return [
    { id: 0, name: 'Общая', sort: 100, entityTypeId: 2, isDefault: 'Y' },
    { id: INVOICE_CATEGORY_ID, name: 'Счета', sort: 100, entityTypeId: 31, isDefault: 'Y', originId: '', originatorId: '' },
  ]
}

export function createCurrencies(now: number): Currency[] {
  const updated = formatPortalDateTime(now - 86_400_000)
  const currency = (code: string, amount: string, sort: string, base: 'Y' | 'N', name: string, format: string): Currency => ({
    CURRENCY: code, AMOUNT_CNT: '1', AMOUNT: amount, SORT: sort, BASE: base, FULL_NAME: name, LID: 'ru',
    FORMAT_STRING: format, DEC_POINT: ',', THOUSANDS_SEP: '&nbsp;', DECIMALS: '2', DATE_UPDATE: updated,
  })
  return [
    currency('RUB', '1.0000', '100', 'Y', 'Российский рубль', '# ₽'),
    currency('USD', '92.5000', '200', 'N', 'Доллар США', '$#'),
    currency('EUR', '100.2000', '300', 'N', 'Евро', '# €'),
  ]
}

/** Templates a Russian portal's document generator ships with, plus one bound to a single pipeline, one for deals, and an act and a УПД for invoices. */
export function createDocumentTemplates(): DocumentTemplate[] {
  const template = (id: number, name: string, region: string, entityTypeId: string[], sort: number): DocumentTemplate => ({
    id: String(id), name, region, code: '', active: 'Y', isDeleted: 'N', sort, users: ['UA'], entityTypeId,
  })
  return [
    template(11, 'Счёт на оплату', 'ru', ['31'], 100),
    template(12, 'Счёт (англ.)', 'ru', ['31', `31_${INVOICE_CATEGORY_ID}`], 200),
    template(13, 'Счёт с печатью и подписью', 'ru', [`31_${INVOICE_CATEGORY_ID}`], 300),
    template(21, 'Коммерческое предложение', 'ru', ['2_category_0'], 100),
    { ...template(14, 'Счёт (старый)', 'ru', ['31'], 400), isDeleted: 'Y' },
    // Closing documents of a paid invoice (README «Closing documents for B2B»): made on the invoice, after the invoice templates.
    template(15, 'Акт выполненных работ', 'ru', ['31'], 500),
    template(16, 'УПД', 'ru', ['31'], 600),
  ]
}

/** The triggers an installed app has registered (the demo data set is installed). */
export function demoTriggers(): AppTrigger[] {
  return [
    { CODE: 'invoice_sent', NAME: 'Счёт отправлен клиенту' },
    { CODE: 'invoice_paid', NAME: 'Счёт оплачен' },
    { CODE: 'invoice_overdue', NAME: 'Счёт просрочен' },
  ]
}
