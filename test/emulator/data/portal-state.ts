/** The in-memory portal. Everything a REST method reads or writes lives here. */
import type { BizprocState } from './bizproc-state.ts'
import type { CrmRelation, CrmTypeRecord } from './crm-types.ts'
import type { InvoiceFlowState } from './invoice-flow-state.ts'
import type { BankDetail, Requisite } from './requisites.ts'

/** The CRM types every portal has and the emulator serves with fixed field sets: deals, contacts, companies, invoices. */
export type BuiltInEntityTypeId = 2 | 3 | 4 | 31
export const CRM_ENTITY_TYPE_IDS: readonly BuiltInEntityTypeId[] = [2, 3, 4, 31]
/** Any CRM type crm.item.* serves: a built-in one or a smart process made by crm.type.add (see data/crm-types.ts). */
export type CrmEntityTypeId = number

export function isBuiltInEntityTypeId(value: number): value is BuiltInEntityTypeId {
  return (CRM_ENTITY_TYPE_IDS as readonly number[]).includes(value)
}

/** The built-in tables always exist; a smart process's table exists while the type does. */
export type EntityTables = Record<BuiltInEntityTypeId, EntityTable> & { [entityTypeId: number]: EntityTable }

/** A CRM item exactly as crm.item.get returns it (camelCase, dates already formatted). */
export type CrmItem = Record<string, unknown> & { id: number }

/** Items of one entity type, kept sorted by id (ids only grow), so keyset paging is a binary search. */
export interface EntityTable {
  items: CrmItem[]
  byId: Map<number, CrmItem>
  nextId: number
}

export interface ProductRow {
  id: number
  ownerId: number
  ownerType: string
  productId: number
  productName: string
  price: number
  priceAccount: number
  priceExclusive: number
  priceNetto: number
  priceBrutto: number
  quantity: number
  discountTypeId: number
  discountRate: number
  discountSum: number
  taxRate: number | null
  taxIncluded: 'Y' | 'N'
  customized: 'Y' | 'N'
  measureCode: number
  measureName: string
  sort: number
  xmlId: string
  type: number
  storeId: number | null
}

export type UserRole = 'admin' | 'manager' | 'accountant'

export interface PortalUser {
  id: number
  name: string
  lastName: string
  secondName: string
  email: string
  role: UserRole
  isAdmin: boolean
  /**
   * The document generator's "modify templates" right: `crm.documentgenerator.template.list` needs it
   * (R: api-reference/crm/document-generator/templates/crm-document-generator-template-list.md). Admins have it, managers not.
   */
  canModifyDocumentTemplates: boolean
  /** False for a dismissed employee: `user.get` with `ACTIVE: true` leaves them out (R: api-reference/user/user-get.md). */
  active: boolean
  timeZone: string
  gender: 'M' | 'F'
  workPosition: string
  dateRegister: string
  /**
   * Whether the user has a mailbox connected to CRM: without `SETTINGS.MESSAGE_FROM`, crm.activity.add sends from it,
   * else from the portal's shared CRM mailbox (the emulated portals have none), else refuses with
   * `Email send error. "From" is not found` (R: tutorials/crm/how-to-add-crm-objects/how-to-send-email.md, Notes).
   */
  crmMailbox: boolean
}

/** A crm.status.list row (R: api-reference/crm/status/crm-status-list.md). */
export interface StatusEntry {
  ID: string
  ENTITY_ID: string
  STATUS_ID: string
  NAME: string
  NAME_INIT: string
  SORT: string
  SYSTEM: 'Y' | 'N'
  CATEGORY_ID: string | null
  COLOR: string
  SEMANTICS: 'S' | 'F' | null
  EXTRA?: { SEMANTICS: 'process' | 'success' | 'failure', COLOR: string }
}

/** A crm.category.list row (R: api-reference/crm/universal/category/crm-category-list.md). */
export interface Category {
  id: number
  name: string
  sort: number
  entityTypeId: number
  isDefault: 'Y' | 'N'
  originId?: string
  originatorId?: string
}

/** A crm.currency.list row (R: api-reference/crm/currency/crm-currency-list.md). */
export interface Currency {
  CURRENCY: string
  AMOUNT_CNT: string
  AMOUNT: string
  SORT: string
  BASE: 'Y' | 'N'
  FULL_NAME: string
  LID: string
  FORMAT_STRING: string
  DEC_POINT: string
  THOUSANDS_SEP: string | null
  DECIMALS: string
  DATE_UPDATE: string
}

/** A bound placement handler (R: api-reference/widgets/placement-get.md). */
export interface BoundPlacement {
  placement: string
  userId: number
  handler: string
  options: Record<string, unknown> | unknown[]
  title: string
  description: string
  groupName: string
  langAll: Record<string, { TITLE: string, DESCRIPTION: string, GROUP_NAME: string }>
}

/** An app trigger (R: api-reference/crm/automation/triggers/crm-automation-trigger-list.md). */
export interface AppTrigger {
  CODE: string
  NAME: string
}

/** A document-generator template (R: crm/document-generator/templates/crm-document-generator-template-list.md). */
export interface DocumentTemplate {
  id: string
  name: string
  region: string
  code: string
  active: 'Y' | 'N'
  isDeleted: 'Y' | 'N'
  sort: number
  users: string[]
  /** Bindings: '31' (every invoice pipeline), '31_5' (one pipeline), '2_category_0' (deals of a pipeline). */
  entityTypeId: string[]
}

export type JournalKind = 'outbox' | 'notifications' | 'tasks' | 'timeline' | 'workflows' | 'triggers' | 'events' | 'robots'

export interface JournalEntry {
  id: number
  at: string
  kind: JournalKind
  title: string
  details: Record<string, unknown>
}

export interface PortalState {
  entities: EntityTables
  /** Smart processes (crm.type.*), by id ascending; their items live in `entities[entityTypeId]`. */
  crmTypes: CrmTypeRecord[]
  nextCrmTypeId: number
  /** Parent → child links between CRM types (crm.type relations), both directions of every type. */
  crmRelations: CrmRelation[]
  /** Product rows of every owner, by id ascending. */
  productRows: ProductRow[]
  nextProductRowId: number
  users: PortalUser[]
  statuses: StatusEntry[]
  categories: Category[]
  currencies: Currency[]
  app: {
    installed: boolean
    options: Record<string, unknown>
    placements: BoundPlacement[]
    triggers: AppTrigger[]
  }
  documentTemplates: DocumentTemplate[]
  userOptions: Map<number, Record<string, unknown>>
  journal: JournalEntry[]
  nextJournalId: number
  /** The invoice category (not 0, see data generator). */
  invoiceCategoryId: number
  /** CRM requisites of companies and contacts (crm.requisite.list); the demo fills them, absent = none. */
  requisites?: Requisite[]
  /** Bank details of requisites (crm.requisite.bankdetail.list); the demo gives our company one, absent = none. */
  bankDetails?: BankDetail[]
  /** Documents, activities, timeline, notifications, tasks, payments: created on first use by `invoiceFlow(state)`. */
  invoiceFlow?: InvoiceFlowState
  /** Workflow templates and started workflows: created on first use by `bizproc(state)`. */
  bizproc?: BizprocState
}

export function createEntityTable(): EntityTable {
  return { items: [], byId: new Map(), nextId: 1 }
}

export function insertItem(table: EntityTable, item: CrmItem): void {
  table.items.push(item)
  table.byId.set(item.id, item)
  if (item.id >= table.nextId) table.nextId = item.id + 1
}

export function removeItem(table: EntityTable, id: number): boolean {
  if (!table.byId.delete(id)) return false
  const index = lowerBoundById(table.items, id)
  if (table.items[index]?.id === id) table.items.splice(index, 1)
  return true
}

/** First index whose id is >= the given id (items sorted by id). */
export function lowerBoundById(items: readonly { id: number }[], id: number): number {
  let low = 0
  let high = items.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((items[middle]?.id ?? Infinity) < id) low = middle + 1
    else high = middle
  }
  return low
}

export function addJournalEntry(state: PortalState, at: string, kind: JournalKind, title: string, details: Record<string, unknown>): JournalEntry {
  const entry = { id: state.nextJournalId++, at, kind, title, details }
  state.journal.push(entry)
  return entry
}

export function findUser(state: PortalState, id: number): PortalUser | undefined {
  return state.users.find(user => user.id === id)
}
