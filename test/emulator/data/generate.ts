/**
 * Deterministic data sets: `demo` (a small company), `empty` (directories only, app not installed) and
 * `large:N` (N invoices). Dates are generated relative to the emulator clock, so the demo always has
 * overdue invoices, one due today, paid and cancelled ones.
 */
import { createRandom, type Random } from '../core/prng.ts'
import { addDays, formatPortalDate, formatPortalDateTime, portalDateOf } from '../core/portal-time.ts'
import { blankItem, DEMO_PAYMENT_METHODS, DEMO_REGIONS } from './crm-fields.ts'
import { buildProductRow } from './product-row.ts'
import { rowsTax, rowsTotal } from './product-row.ts'
import type { BoundPlacement, BuiltInEntityTypeId, CrmItem, PortalState, ProductRow } from './portal-state.ts'
import { createEntityTable, insertItem } from './portal-state.ts'
import { demoBankDetails, demoRequisites } from './requisites.ts'
import { createCategories, createCurrencies, createDocumentTemplates, createStatuses, createUsers, demoTriggers, INVOICE_CATEGORY_ID, invoiceStage } from './reference-data.ts'

export type DataSetName = 'demo' | 'empty' | `large:${number}`

export const DEFAULT_SEED = 20_240_601
const DAY_MS = 86_400_000
export const MY_COMPANY_ID = 1

export function parseDataSetName(value: string): DataSetName {
  if (value === 'demo' || value === 'empty') return value
  const large = /^large:(\d+)$/.exec(value)
  if (large) return `large:${Number(large[1])}`
  throw new Error(`Unknown data set '${value}': use demo, empty or large:N`)
}

const COMPANY_NAMES = [
  'ООО «Ромашка»', 'АО «СеверСтройМонтаж»', 'ИП Кузнецов А. В.', 'ООО «Вектор Логистик»', 'ООО «Альфа-Трейд»',
  'АО «Уральские технологии»', 'ООО «Зелёный сад»', 'ИП Соколова Е. Н.', 'ООО «Технопарк Плюс»', 'ООО «Медиа Групп»',
  'АО «ВолгаЭнерго»', 'ООО «Пекарня №1»', 'ООО «Цифровые решения»', 'АО «Балтийский порт»', 'ООО «Меридиан»',
]
const FIRST_NAMES = ['Алексей', 'Дмитрий', 'Сергей', 'Андрей', 'Николай', 'Елена', 'Татьяна', 'Наталья', 'Ирина', 'Светлана', 'Павел', 'Юлия']
const LAST_NAMES_M = ['Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров', 'Морозов']
const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o',
  п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sch', ы: 'y', э: 'e', ю: 'yu', я: 'ya', ь: '', ъ: '',
}
const translit = (text: string): string => [...text.toLowerCase()].map(char => TRANSLIT[char] ?? char).join('')

const PRODUCTS = [
  { productId: 101, productName: 'Лицензия CRM «Профессиональный», 12 мес.', price: 99_000 },
  { productId: 102, productName: 'Внедрение CRM, час работы консультанта', price: 3_500 },
  { productId: 103, productName: 'Обучение сотрудников (группа до 10 человек)', price: 25_000 },
  { productId: 104, productName: 'Техническая поддержка, месяц', price: 15_000 },
  { productId: 105, productName: 'Интеграция с 1С', price: 60_000 },
  { productId: 106, productName: 'Аудит бизнес-процессов', price: 45_000 },
  { productId: 107, productName: 'Настройка телефонии', price: 12_000 },
  { productId: 108, productName: 'Разработка отчёта', price: 8_500 },
]

const DEAL_STAGES = ['NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING', 'FINAL_INVOICE', 'WON', 'LOSE'] as const

/** The empty portal: directories, users, my company. */
function createBaseState(now: number): PortalState {
  const state: PortalState = {
    entities: { 2: createEntityTable(), 3: createEntityTable(), 4: createEntityTable(), 31: createEntityTable() },
    crmTypes: [],
    nextCrmTypeId: 1,
    crmRelations: [],
    productRows: [],
    nextProductRowId: 1,
    users: createUsers(),
    statuses: createStatuses(),
    categories: createCategories(),
    currencies: createCurrencies(now),
    app: { installed: false, options: {}, placements: [], triggers: [] },
    documentTemplates: createDocumentTemplates(),
    userOptions: new Map(),
    journal: [],
    nextJournalId: 1,
    invoiceCategoryId: INVOICE_CATEGORY_ID,
  }
  const created = formatPortalDateTime(now - 400 * DAY_MS)
  addItem(state, 4, {
    id: MY_COMPANY_ID, title: 'ООО «Инвойс Деск»', isMyCompany: 'Y', typeId: 'OTHER', assignedById: 1, createdBy: 1, updatedBy: 1,
    createdTime: created, updatedTime: created, address: 'г. Москва, ул. Тверская, д. 1', hasEmail: 'Y', email: 'info@invoice-desk.example',
    emailWork: 'info@invoice-desk.example', fm: [{ id: 1, valueType: 'WORK', value: 'info@invoice-desk.example', typeId: 'EMAIL' }],
    bankingDetails: 'Р/с 40702810900000000001 в АО «Банк», БИК 044525000',
  })
  return state
}

function addItem(state: PortalState, entityTypeId: BuiltInEntityTypeId, values: Record<string, unknown> & { id: number }): CrmItem {
  const item = { ...blankItem(state, entityTypeId), ...values } as CrmItem
  insertItem(state.entities[entityTypeId], item)
  return item
}

const dateCache = new Map<string, string>()
function cachedDate(date: string): string {
  let text = dateCache.get(date)
  if (text === undefined) {
    text = formatPortalDate(date)
    dateCache.set(date, text)
  }
  return text
}

function addRows(state: PortalState, ownerType: string, ownerId: number, inputs: readonly Parameters<typeof buildProductRow>[0][]): ProductRow[] {
  const rows = inputs.map((input, index) => buildProductRow({ ...input, sort: (index + 1) * 10, taxIncluded: 'Y' }, state.nextProductRowId++, ownerType, ownerId))
  state.productRows.push(...rows)
  return rows
}

interface Party { companyId: number, contactId: number }

function generateClients(state: PortalState, random: Random, now: number, companyCount: number, contactCount: number): Party[] {
  const companyIds: number[] = []
  for (let index = 0; index < companyCount; index++) {
    const id = MY_COMPANY_ID + 1 + index
    const base = COMPANY_NAMES[index % COMPANY_NAMES.length] ?? 'ООО «Клиент»'
    const title = index < COMPANY_NAMES.length ? base : `${base} ${Math.floor(index / COMPANY_NAMES.length) + 1}`
    const created = formatPortalDateTime(now - random.int(200, 700) * DAY_MS)
    const email = `office${id}@client${id}.example`
    addItem(state, 4, {
      id, title, assignedById: random.pick([1, 2, 3]), createdBy: 1, updatedBy: 1, createdTime: created, updatedTime: created,
      hasEmail: 'Y', email, emailWork: email, fm: [{ id: 100 + id, valueType: 'WORK', value: email, typeId: 'EMAIL' }],
      industry: random.pick(['IT', 'MANUFACTURING', 'DELIVERY', 'OTHER']),
    })
    companyIds.push(id)
  }
  const parties: Party[] = []
  for (let index = 0; index < contactCount; index++) {
    const id = index + 1
    const female = random.chance(0.4)
    const name = random.pick(FIRST_NAMES.slice(female ? 5 : 0, female ? 10 : 5))
    const lastName = `${random.pick(LAST_NAMES_M)}${female ? 'а' : ''}`
    const companyId = companyIds[index % Math.max(1, companyIds.length)] ?? 0
    // Every 7th contact has no e-mail, contact 5 a malformed one.
    const email = index % 7 === 6 ? '' : index === 4 ? `${translit(name)}.${translit(lastName)}@@mail` : `${translit(name)}.${translit(lastName)}${id}@mail.example`
    const created = formatPortalDateTime(now - random.int(100, 600) * DAY_MS)
    addItem(state, 3, {
      id, name, lastName, secondName: '', post: random.pick(['Директор', 'Бухгалтер', 'Менеджер по закупкам', 'Финансовый директор']),
      companyId, companyIds: companyId ? [companyId] : [], assignedById: random.pick([1, 2, 3]), createdBy: 1, updatedBy: 1,
      createdTime: created, updatedTime: created, hasEmail: email ? 'Y' : 'N', email, emailWork: email,
      fm: email ? [{ id: 1000 + id, valueType: 'WORK', value: email, typeId: 'EMAIL' }] : [],
    })
    parties.push({ companyId, contactId: id })
  }
  for (const company of state.entities[4].items) {
    if (company.id === MY_COMPANY_ID) continue
    company.contactIds = parties.filter(party => party.companyId === company.id).map(party => party.contactId)
  }
  return parties
}

interface InvoicePlan { stageId: string, begin: string, close: string, currencyId: string, moved: number }

/** Invoice life cycle by age: old ones are mostly paid, recent ones sent or draft; overdue = sent and past due. */
function planInvoice(random: Random, today: string, ageDays: number): InvoicePlan {
  const begin = addDays(today, -ageDays)
  const close = addDays(begin, random.pick([5, 7, 10, 14, 30]))
  const roll = random.next()
  let stageId: string
  if (ageDays > 60) stageId = roll < 0.75 ? invoiceStage.paid : roll < 0.88 ? invoiceStage.declined : invoiceStage.sent
  else if (ageDays > 14) stageId = roll < 0.45 ? invoiceStage.paid : roll < 0.55 ? invoiceStage.declined : roll < 0.9 ? invoiceStage.sent : invoiceStage.awaiting
  else stageId = roll < 0.35 ? invoiceStage.draft : roll < 0.8 ? invoiceStage.sent : invoiceStage.paid
  const currencyId = random.chance(0.06) ? random.pick(['USD', 'EUR']) : 'RUB'
  return { stageId, begin, close, currencyId, moved: Math.min(ageDays, random.int(0, 10)) }
}

function invoiceValues(id: number, plan: InvoicePlan, now: number, deal: CrmItem | null, party: Party, assignedById: number): Record<string, unknown> & { id: number } {
  const createdTime = formatPortalDateTime(Date.parse(`${plan.begin}T09:00:00+03:00`) + (id % 480) * 60_000)
  const movedTime = formatPortalDateTime(Math.min(now, Date.parse(`${plan.begin}T12:00:00+03:00`) + plan.moved * DAY_MS))
  return {
    id, title: `Счёт #${id}`, accountNumber: `СЧ-${String(id).padStart(5, '0')}`, xmlId: null, stageId: plan.stageId,
    previousStageId: plan.stageId === invoiceStage.draft ? '' : plan.stageId === invoiceStage.sent ? invoiceStage.draft : invoiceStage.sent,
    categoryId: INVOICE_CATEGORY_ID, begindate: cachedDate(plan.begin), closedate: cachedDate(plan.close),
    companyId: party.companyId, contactId: party.contactId, contactIds: party.contactId ? [party.contactId] : [],
    currencyId: plan.currencyId, mycompanyId: MY_COMPANY_ID, assignedById, createdBy: assignedById, updatedBy: assignedById,
    movedBy: assignedById, createdTime, updatedTime: movedTime, movedTime, parentId2: deal ? deal.id : null,
    opportunity: 0, taxValue: 0, isManualOpportunity: 'N', comments: null,
  }
}

function generateDemo(state: PortalState, random: Random, now: number): void {
  const today = portalDateOf(now)
  const parties = generateClients(state, random, now, 12, 20)
  for (let index = 0; index < 30; index++) {
    const id = index + 1
    const party = random.pick(parties)
    const assignedById = index % 5 === 4 ? 1 : index % 2 === 0 ? 2 : 3
    const ageDays = Math.floor(((30 - index) / 30) * 360) + random.int(0, 5)
    const begin = addDays(today, -ageDays)
    const stageId = ageDays > 150
      ? random.pick(['WON', 'WON', 'WON', 'LOSE'])
      : ageDays > 60 ? random.pick(['EXECUTING', 'FINAL_INVOICE', 'WON', 'WON', 'LOSE']) : random.pick(DEAL_STAGES)
    const deal = addItem(state, 2, {
      id, title: `${random.pick(['Внедрение CRM', 'Поставка лицензий', 'Сопровождение', 'Интеграция 1С', 'Обучение'])} — ${String(state.entities[4].byId.get(party.companyId)?.title ?? '')}`,
      stageId, stageSemanticId: stageId === 'WON' ? 'S' : stageId === 'LOSE' ? 'F' : 'P', closed: stageId === 'WON' || stageId === 'LOSE' ? 'Y' : 'N',
      companyId: party.companyId, contactId: party.contactId, contactIds: [party.contactId], assignedById, createdBy: assignedById,
      updatedBy: assignedById, movedBy: assignedById, begindate: cachedDate(begin), closedate: cachedDate(addDays(begin, 30)),
      createdTime: formatPortalDateTime(Date.parse(`${begin}T10:00:00+03:00`)), updatedTime: formatPortalDateTime(Date.parse(`${begin}T10:00:00+03:00`) + DAY_MS),
      movedTime: formatPortalDateTime(Date.parse(`${begin}T10:00:00+03:00`) + DAY_MS), isNew: 'N', probability: 50, currencyId: 'RUB',
    })
    const rowCount = random.int(1, 4)
    const inputs = Array.from({ length: rowCount }, () => {
      const product = random.pick(PRODUCTS)
      return { ...product, quantity: random.int(1, 5), taxRate: 20, discountTypeId: 2, discountRate: random.chance(0.2) ? 10 : 0 }
    })
    const rows = addRows(state, 'D', id, inputs)
    // The list user fields, by position (no random draw, so the rest of the demo stays as it was); every seventh deal leaves them empty.
    deal.ufCrmPaymentMethod = index % 7 === 6 ? null : Number(DEMO_PAYMENT_METHODS[index % 3]!.ID)
    deal.ufCrmRegion = index % 7 === 6 ? null : Number(DEMO_REGIONS[index % 4 === 3 ? 1 : index % 4 === 2 ? 2 : 0]!.ID)
    deal.opportunity = rowsTotal(rows)
    deal.taxValue = rowsTax(rows)
    deal.hasProducts = 'Y'
  }
  // Invoices: ~one or two per deal over the year, plus fixed cases the demo must show.
  let invoiceId = 1
  const pinnedAges: { age: number, term: number, stageId: string, currencyId?: string }[] = [
    { age: 7, term: 7, stageId: invoiceStage.sent }, // due today
    { age: 8, term: 7, stageId: invoiceStage.sent }, // 1 day overdue
    { age: 19, term: 14, stageId: invoiceStage.sent }, // 5 days
    { age: 45, term: 30, stageId: invoiceStage.awaiting }, // 15 days
    { age: 75, term: 30, stageId: invoiceStage.sent, currencyId: 'USD' }, // 45 days, USD
    { age: 130, term: 30, stageId: invoiceStage.sent }, // 100 days
    { age: 2, term: 10, stageId: invoiceStage.draft },
    { age: 20, term: 14, stageId: invoiceStage.paid, currencyId: 'EUR' },
    { age: 40, term: 10, stageId: invoiceStage.declined },
  ]
  for (const deal of state.entities[2].items) {
    if (deal.stageId === 'NEW' || deal.stageId === 'LOSE') continue
    const count = deal.stageId === 'WON' ? random.int(2, 3) : random.int(1, 2)
    for (let index = 0; index < count; index++) {
      const dealAge = Math.max(0, Math.round((now - Date.parse(String(deal.createdTime))) / DAY_MS))
      const age = Math.max(0, dealAge - random.int(0, 20) - index * 15)
      const pinned = pinnedAges.shift()
      const plan = pinned
        ? { stageId: pinned.stageId, begin: addDays(today, -pinned.age), close: addDays(today, pinned.term - pinned.age), currencyId: pinned.currencyId ?? 'RUB', moved: 1 }
        : planInvoice(random, today, age)
      if (deal.stageId === 'WON' && !pinned) plan.stageId = invoiceStage.paid
      const party = { companyId: Number(deal.companyId), contactId: Number(deal.contactId) }
      const invoice = addItem(state, 31, invoiceValues(invoiceId, plan, now, deal, party, Number(deal.assignedById)))
      const dealRows = state.productRows.filter(row => row.ownerType === 'D' && row.ownerId === deal.id)
      // Each invoice bills its own share of the deal (prepayment, next stage, final), so sums differ.
      const ownRows = dealRows.filter((_, rowIndex) => rowIndex % count === index)
      const billed = ownRows.length > 0 ? ownRows : dealRows.slice(0, 1)
      const rows = addRows(state, 'SI', invoice.id, billed.map(row => ({
        productId: row.productId, productName: row.productName, price: plan.currencyId === 'RUB' ? row.price : Math.round(row.price / 95),
        quantity: Math.max(1, Math.round(row.quantity / (ownRows.length > 0 ? 1 : count))), taxRate: row.taxRate, discountTypeId: 2, discountRate: row.discountRate,
      })))
      invoice.opportunity = rowsTotal(rows)
      invoice.taxValue = rowsTax(rows)
      invoiceId++
    }
  }
}

function generateLarge(state: PortalState, random: Random, now: number, count: number): void {
  const today = portalDateOf(now)
  const parties = generateClients(state, random, now, Math.min(200, Math.max(12, Math.ceil(count / 50))), Math.min(300, Math.max(20, Math.ceil(count / 30))))
  const dealCount = Math.max(1, Math.min(5000, Math.ceil(count / 3)))
  const deals: CrmItem[] = []
  for (let index = 0; index < dealCount; index++) {
    const party = parties[index % parties.length] ?? { companyId: 0, contactId: 0 }
    const begin = addDays(today, -random.int(0, 365))
    const assignedById = random.pick([1, 2, 3])
    deals.push(addItem(state, 2, {
      id: index + 1, title: `Сделка #${index + 1}`, stageId: random.pick(DEAL_STAGES), companyId: party.companyId, contactId: party.contactId,
      contactIds: [party.contactId], assignedById, createdBy: assignedById, updatedBy: assignedById, begindate: cachedDate(begin),
      closedate: cachedDate(addDays(begin, 30)), createdTime: formatPortalDateTime(Date.parse(`${begin}T10:00:00+03:00`)),
      updatedTime: formatPortalDateTime(Date.parse(`${begin}T10:00:00+03:00`)), opportunity: random.int(10, 500) * 1000, isManualOpportunity: 'Y',
    }))
  }
  for (let index = 0; index < count; index++) {
    const deal = deals[index % deals.length] ?? null
    const plan = planInvoice(random, today, random.int(0, 365))
    const party = deal ? { companyId: Number(deal.companyId), contactId: Number(deal.contactId) } : { companyId: 0, contactId: 0 }
    const invoice = addItem(state, 31, invoiceValues(index + 1, plan, now, deal, party, deal ? Number(deal.assignedById) : 1))
    invoice.opportunity = random.int(5, 900) * 1000
    invoice.isManualOpportunity = 'Y'
  }
}

/** Demo: the app is installed and its placements are bound (R: api-reference/widgets/placement-get.md shape). */
export function demoPlacements(appUrl: string): BoundPlacement[] {
  // The titles the app's own install binds, with `LANG_ALL` (R: api-reference/widgets/placement-bind.md).
  const titles = [
    { placement: 'CRM_DEAL_DETAIL_TAB', title: { ru: 'Счета', en: 'Invoices' } },
    { placement: 'CRM_DEAL_LIST_MENU', title: { ru: 'Выставить счёт', en: 'Issue an invoice' } },
    { placement: 'CRM_SMART_INVOICE_DETAIL_TAB', title: { ru: 'Счёт', en: 'Invoice' } },
    { placement: 'CRM_ANALYTICS_MENU', title: { ru: 'Дебиторка', en: 'Receivables' } },
  ]
  return titles.map(({ placement, title }) => ({
    placement, userId: 0, handler: appUrl, options: [], title: title.ru, description: '', groupName: '',
    langAll: { ru: { TITLE: title.ru, DESCRIPTION: '', GROUP_NAME: '' }, en: { TITLE: title.en, DESCRIPTION: '', GROUP_NAME: '' } },
  }))
}

export function generatePortal(dataSet: DataSetName, now: number, appUrl: string, seed = DEFAULT_SEED): PortalState {
  const random = createRandom(seed)
  const state = createBaseState(now)
  if (dataSet === 'demo') {
    generateDemo(state, random, now)
    state.requisites = demoRequisites(state, now)
    state.bankDetails = demoBankDetails(state, state.requisites, now)
    state.app.installed = true
    state.app.placements = demoPlacements(appUrl)
    state.app.triggers = demoTriggers()
  }
  else if (dataSet.startsWith('large:')) {
    generateLarge(state, random, now, Number(dataSet.slice('large:'.length)))
    state.app.installed = true
    state.app.placements = demoPlacements(appUrl)
    state.app.triggers = demoTriggers()
  }
  return state
}
