/**
 * Field catalogue of the CRM types the emulator serves, camelCase as crm.item.* returns them
 * (R: api-reference/crm/universal/object-fields.md, crm-item-fields.md). One descriptor drives the
 * item shape (key order, defaults), crm.item.fields and filter typing.
 */
import { BUILT_IN_TYPE_TITLES, crmTypeByEntityTypeId, parentTypesOf, type CrmTypeFlag, type CrmTypeRecord } from './crm-types.ts'
import { isBuiltInEntityTypeId, type BuiltInEntityTypeId, type CrmEntityTypeId, type PortalState } from './portal-state.ts'

export type FieldType = 'integer' | 'double' | 'string' | 'text' | 'char' | 'boolean' | 'date' | 'datetime'
  | 'user' | 'crm_status' | 'crm_category' | 'crm_currency' | 'crm_company' | 'crm_contact' | 'crm_entity'
  | 'location' | 'crm_multifield' | 'enumeration'

export interface FieldDescriptor {
  name: string
  type: FieldType
  title: string
  readOnly?: boolean
  immutable?: boolean
  multiple?: boolean
  required?: boolean
  /** Only with select ['*'] (e.g. `fm`, R: crm-item-list.md). */
  starOnly?: boolean
  settings?: Record<string, unknown>
  /** enumeration (list) user fields: the list's items; the item stores the chosen item's ID (R: api-reference/crm/_include/user-fields-for-examples-cut.md). */
  items?: ReadonlyArray<{ ID: string, VALUE: string }>
  /** crm_status fields: the status directory (crm.status.list ENTITY_ID) the values come from. */
  statusType?: string
  /** A smart process field its type's settings switch off: always null, never written, not in crm.item.fields (R: crm-item-add.md «Disabled fields always return null»). */
  disabled?: boolean
  defaultValue: unknown
}

const f = (name: string, type: FieldType, title: string, defaultValue: unknown, extra: Partial<FieldDescriptor> = {}): FieldDescriptor =>
  ({ name, type, title, defaultValue, ...extra })

const ro = { readOnly: true }
const multi = { multiple: true }

const common = {
  id: f('id', 'integer', 'ID', 0, ro),
  createdTime: f('createdTime', 'datetime', 'Created on', null, ro),
  updatedTime: f('updatedTime', 'datetime', 'Modified on', null, ro),
  createdBy: f('createdBy', 'user', 'Created by', null, ro),
  updatedBy: f('updatedBy', 'user', 'Modified by', null, ro),
  assignedById: f('assignedById', 'user', 'Responsible person', null),
  opened: f('opened', 'boolean', 'Available to everyone', 'Y'),
  lastActivityTime: f('lastActivityTime', 'datetime', 'Last activity', null, ro),
  lastActivityBy: f('lastActivityBy', 'user', 'Last activity by', null, ro),
  webformId: f('webformId', 'integer', 'Created by CRM form', null),
  utm: [
    f('utmSource', 'string', 'Ad system', null), f('utmMedium', 'string', 'Traffic type', null),
    f('utmCampaign', 'string', 'Ad campaign label', null), f('utmContent', 'string', 'Campaign contents', null),
    f('utmTerm', 'string', 'Campaign search term', null),
  ],
  entityTypeId: (value: number) => f('entityTypeId', 'integer', 'Entity type', value, ro),
}

const parentDeal = f('parentId2', 'crm_entity', 'Deal', null, { settings: { parentEntityTypeId: 2 } })
const fm = f('fm', 'crm_multifield', 'Multifields', [], { ...ro, starOnly: true, multiple: true })

/** Items of the demo deal list fields «Способ оплаты» and «Регион» (`UF_CRM_PAYMENT_METHOD`, `UF_CRM_REGION`). */
export const DEMO_PAYMENT_METHODS = [{ ID: '101', VALUE: 'Безналичный расчёт' }, { ID: '102', VALUE: 'Банковская карта' }, { ID: '103', VALUE: 'Наличные' }] as const
export const DEMO_REGIONS = [{ ID: '201', VALUE: 'Москва' }, { ID: '202', VALUE: 'Санкт-Петербург' }, { ID: '203', VALUE: 'Казань' }] as const

const DEAL_USER_FIELDS: FieldDescriptor[] = [
  f('ufCrmPaymentMethod', 'enumeration', 'Способ оплаты', null, { items: DEMO_PAYMENT_METHODS }),
  f('ufCrmRegion', 'enumeration', 'Регион', null, { items: DEMO_REGIONS }),
]

const dealFields: FieldDescriptor[] = [
  common.id, common.createdTime, f('dateCreateShort', 'datetime', 'Created on (short)', null, ro), common.updatedTime,
  f('dateModifyShort', 'datetime', 'Modified on (short)', null, ro), common.createdBy, common.updatedBy, common.assignedById,
  common.opened, f('leadId', 'crm_entity', 'Lead', null), f('companyId', 'crm_company', 'Company', 0),
  f('contactId', 'crm_contact', 'Contact', 0), f('quoteId', 'crm_entity', 'Estimate', null), f('title', 'string', 'Name', ''),
  f('productId', 'string', 'Product', null), f('categoryId', 'crm_category', 'Pipeline', 0, { immutable: true }),
  f('stageId', 'crm_status', 'Stage', 'NEW'), f('stageSemanticId', 'string', 'Stage group', 'P', ro),
  f('isNew', 'boolean', 'New', 'Y', ro), f('isRecurring', 'boolean', 'Recurring deal', 'N'),
  f('isReturnCustomer', 'boolean', 'Repeat deal', 'N', ro), f('isRepeatedApproach', 'boolean', 'Repeat inquiry', 'N', ro),
  f('closed', 'boolean', 'Closed', 'N'), f('typeId', 'crm_status', 'Type', 'SALE'), f('opportunity', 'double', 'Amount', 0),
  f('isManualOpportunity', 'boolean', 'Manual amount', 'N'), f('taxValue', 'double', 'Tax amount', 0),
  f('currencyId', 'crm_currency', 'Currency', 'RUB'), f('probability', 'integer', 'Probability', null),
  f('comments', 'text', 'Comment', null), f('begindate', 'date', 'Start date', null), f('begindateShort', 'date', 'Start date (short)', null, ro),
  f('closedate', 'date', 'End date', null), f('closedateShort', 'date', 'End date (short)', null, ro),
  f('eventDate', 'datetime', 'Event date', null), f('eventDateShort', 'datetime', 'Event date (short)', null, ro),
  f('eventId', 'crm_status', 'Event type', null), f('eventDescription', 'text', 'Event description', null),
  f('locationId', 'location', 'Location', null), common.webformId, f('sourceId', 'crm_status', 'Source', null),
  f('sourceDescription', 'text', 'Source information', null), f('originatorId', 'string', 'External source', null),
  f('originId', 'string', 'Item ID in data source', null), f('additionalInfo', 'text', 'Additional information', null),
  f('searchContent', 'text', 'Search content', null, ro), f('orderStage', 'crm_status', 'Payment status', null),
  f('movedBy', 'user', 'Moved by', null, ro), f('movedTime', 'datetime', 'Moved on', null, ro),
  common.lastActivityBy, common.lastActivityTime, f('isWork', 'boolean', 'In progress', null, ro),
  f('isWon', 'boolean', 'Won', null, ro), f('isLose', 'boolean', 'Lost', null, ro),
  f('receivedAmount', 'double', 'Received amount', null, ro), f('lostAmount', 'double', 'Lost amount', null, ro),
  f('hasProducts', 'boolean', 'Has products', null, ro), ...common.utm,
  f('observers', 'user', 'Observers', [], multi), f('contactIds', 'crm_contact', 'Contacts', [], multi), common.entityTypeId(2),
  // The demo portal's deal user fields (list fields an admin created): what the auto-issue conditions map to.
  ...DEAL_USER_FIELDS,
]

const contactFields: FieldDescriptor[] = [
  common.id, common.createdTime, common.updatedTime, common.createdBy, common.updatedBy, common.assignedById, common.opened,
  f('companyId', 'crm_company', 'Company', 0), f('sourceId', 'crm_status', 'Source', null),
  f('sourceDescription', 'text', 'Source information', null), f('name', 'string', 'First name', ''),
  f('lastName', 'string', 'Last name', ''), f('secondName', 'string', 'Second name', ''), f('shortName', 'string', 'Short name', null, ro),
  f('photo', 'integer', 'Photo', null), f('post', 'string', 'Position', null), f('address', 'string', 'Address', null),
  f('comments', 'text', 'Comment', null), f('leadId', 'crm_entity', 'Lead', null), f('export', 'boolean', 'Included in export', 'Y'),
  f('typeId', 'crm_status', 'Contact type', 'CLIENT'), f('originatorId', 'string', 'External source', null),
  f('originId', 'string', 'Item ID in data source', null), f('originVersion', 'string', 'Original version', null),
  f('birthdate', 'date', 'Date of birth', null), f('honorific', 'crm_status', 'Salutation', null),
  f('hasPhone', 'boolean', 'Has phone', 'N', ro), f('hasEmail', 'boolean', 'Has e-mail', 'N', ro), f('hasImol', 'boolean', 'Has Open Channel', 'N', ro),
  f('searchContent', 'text', 'Search content', null, ro), f('categoryId', 'crm_category', 'Category', 0),
  common.lastActivityBy, common.lastActivityTime, common.webformId, ...common.utm,
  f('emailHome', 'string', 'Home e-mail', '', ro), f('emailWork', 'string', 'Work e-mail', '', ro), f('emailMailing', 'string', 'Newsletter e-mail', '', ro),
  f('phoneMobile', 'string', 'Mobile phone', '', ro), f('phoneWork', 'string', 'Work phone', '', ro), f('phoneMailing', 'string', 'Phone for newsletters', '', ro),
  f('imol', 'string', 'Open Channel', '', ro), f('email', 'string', 'E-mail', '', ro), f('phone', 'string', 'Phone', '', ro),
  f('observers', 'user', 'Observers', [], multi), f('companyIds', 'crm_company', 'Companies', [], multi), fm, common.entityTypeId(3),
]

const companyFields: FieldDescriptor[] = [
  common.id, common.createdTime, common.updatedTime, common.createdBy, common.updatedBy, common.assignedById, common.opened,
  f('title', 'string', 'Company name', ''), f('logo', 'integer', 'Logo', null), f('address', 'string', 'Address', null),
  f('addressLegal', 'string', 'Legal address', null), f('bankingDetails', 'text', 'Payment details', null),
  f('comments', 'text', 'Comment', null), f('typeId', 'crm_status', 'Company type', 'CUSTOMER'),
  f('industry', 'crm_status', 'Industry', 'IT'), f('revenue', 'double', 'Annual revenue', 0), f('currencyId', 'crm_currency', 'Currency', 'RUB'),
  f('employees', 'crm_status', 'Employees', 'EMPLOYEES_1'), f('leadId', 'crm_entity', 'Lead', null),
  f('originatorId', 'string', 'External source', null), f('originId', 'string', 'Item ID in data source', null),
  f('originVersion', 'string', 'Original version', null), f('hasPhone', 'boolean', 'Has phone', 'N', ro),
  f('hasEmail', 'boolean', 'Has e-mail', 'N', ro), f('hasImol', 'boolean', 'Has Open Channel', 'N', ro),
  f('isMyCompany', 'boolean', 'My company', 'N'), f('searchContent', 'text', 'Search content', null, ro),
  f('categoryId', 'crm_category', 'Category', 0), common.lastActivityBy, common.lastActivityTime, common.webformId, ...common.utm,
  f('emailHome', 'string', 'Home e-mail', '', ro), f('emailWork', 'string', 'Work e-mail', '', ro), f('emailMailing', 'string', 'Newsletter e-mail', '', ro),
  f('phoneMobile', 'string', 'Mobile phone', '', ro), f('phoneWork', 'string', 'Work phone', '', ro), f('phoneMailing', 'string', 'Phone for newsletters', '', ro),
  f('imol', 'string', 'Open Channel', '', ro), f('email', 'string', 'E-mail', '', ro), f('phone', 'string', 'Phone', '', ro),
  f('observers', 'user', 'Observers', [], multi), f('contactIds', 'crm_contact', 'Contacts', [], multi), fm, common.entityTypeId(4),
]

const invoiceFields: FieldDescriptor[] = [
  common.id, f('xmlId', 'string', 'External ID', null), f('title', 'string', 'Name', ''), common.createdBy, common.updatedBy,
  f('movedBy', 'user', 'Moved by', null, ro), common.createdTime, common.updatedTime, f('movedTime', 'datetime', 'Moved on', null, ro),
  f('categoryId', 'crm_category', 'Pipeline', 0, { immutable: true }), common.opened, f('stageId', 'crm_status', 'Stage', null),
  f('previousStageId', 'crm_status', 'Previous stage', null, ro), f('begindate', 'date', 'Start date', null),
  f('closedate', 'date', 'End date', null), f('companyId', 'crm_company', 'Company', 0), f('contactId', 'crm_contact', 'Contact', 0),
  f('opportunity', 'double', 'Amount', 0), f('isManualOpportunity', 'boolean', 'Manual amount', 'N'),
  f('taxValue', 'double', 'Tax amount', 0), f('currencyId', 'crm_currency', 'Currency', 'RUB'),
  f('mycompanyId', 'crm_company', 'Your company details', 0), f('sourceId', 'crm_status', 'Source', null),
  f('sourceDescription', 'text', 'Source information', null), f('webformId', 'integer', 'Created by CRM form', null),
  f('comments', 'text', 'Comment', null), f('accountNumber', 'string', 'Invoice #', null), f('locationId', 'location', 'Location', null),
  common.assignedById, common.lastActivityBy, common.lastActivityTime, parentDeal, ...common.utm,
  f('observers', 'user', 'Observers', [], multi), f('contactIds', 'crm_contact', 'Contacts', [], multi), common.entityTypeId(31),
]

export const CRM_FIELDS: Record<BuiltInEntityTypeId, readonly FieldDescriptor[]> = {
  2: dealFields, 3: contactFields, 4: companyFields, 31: invoiceFields,
}

/**
 * A smart process item's fields, in the order the portal answers them (R: crm-item-fields.md example of a
 * SPA, crm-item-add.md «SPA»: which setting each field needs), then `parentId<N>` for every parent type.
 */
function dynamicFields(state: PortalState, type: CrmTypeRecord): FieldDescriptor[] {
  const on = (flag: CrmTypeFlag): boolean => type.flags[flag] === 'Y'
  const gate = (field: FieldDescriptor, flag: CrmTypeFlag): FieldDescriptor => on(flag) ? field : { ...field, disabled: true, defaultValue: null }
  const stageType = `DYNAMIC_${type.entityTypeId}_STAGE_${type.defaultCategoryId}`
  const parents = parentTypesOf(state, type.entityTypeId).map(parent => f(`parentId${parent}`, 'crm_entity',
    BUILT_IN_TYPE_TITLES[parent] ?? crmTypeByEntityTypeId(state, parent)?.title ?? String(parent), null, { settings: { parentEntityTypeId: parent } }))
  return [
    common.id, f('xmlId', 'string', 'External code', null), f('title', 'string', 'Name', ''), common.createdBy, common.updatedBy,
    f('movedBy', 'user', 'Moved by', null, ro), common.createdTime, common.updatedTime, f('movedTime', 'datetime', 'Moved at', null, ro),
    f('categoryId', 'crm_category', 'Pipeline', type.defaultCategoryId), { ...common.opened, required: true },
    gate(f('stageId', 'crm_status', 'Stage', null, { statusType: stageType }), 'isStagesEnabled'),
    gate(f('previousStageId', 'crm_status', 'Previous stage', null, { ...ro, statusType: stageType }), 'isStagesEnabled'),
    gate(f('begindate', 'date', 'Start date', null), 'isBeginCloseDatesEnabled'),
    gate(f('closedate', 'date', 'End date', null), 'isBeginCloseDatesEnabled'),
    gate(f('companyId', 'crm_company', 'Company', 0, { settings: { parentEntityTypeId: 4 } }), 'isClientEnabled'),
    gate(f('contactId', 'crm_contact', 'Contact', 0), 'isClientEnabled'),
    gate(f('opportunity', 'double', 'Amount', 0), 'isLinkWithProductsEnabled'),
    gate(f('isManualOpportunity', 'boolean', 'Amount calculation mode', 'N'), 'isLinkWithProductsEnabled'),
    gate(f('taxValue', 'double', 'Tax amount', 0), 'isLinkWithProductsEnabled'),
    gate(f('currencyId', 'crm_currency', 'Currency', 'RUB'), 'isLinkWithProductsEnabled'),
    gate(f('mycompanyId', 'crm_company', 'Your company details', 0, { settings: { isMyCompany: true, parentEntityTypeId: 4, isEmbeddedEditorEnabled: true } }), 'isMycompanyEnabled'),
    gate(f('sourceId', 'crm_status', 'Source', null, { statusType: 'SOURCE' }), 'isSourceEnabled'),
    gate(f('sourceDescription', 'text', 'Additional source info', null), 'isSourceEnabled'),
    common.webformId, { ...common.assignedById, title: 'Assigned to' }, common.lastActivityBy, common.lastActivityTime, ...parents,
    ...common.utm,
    gate(f('observers', 'user', 'Observers', [], multi), 'isObserversEnabled'),
    gate(f('contactIds', 'crm_contact', 'CONTACT_IDS', [], multi), 'isClientEnabled'),
    common.entityTypeId(type.entityTypeId),
  ]
}

const builtInFieldMaps = new Map<number, Map<string, FieldDescriptor>>(
  (Object.entries(CRM_FIELDS) as unknown as [string, FieldDescriptor[]][]).map(([id, list]) =>
    [Number(id), new Map(list.map(field => [field.name, field]))]),
)

/** Field lists of smart processes, recomputed when the type or its relations change. */
const dynamicCache = new WeakMap<CrmTypeRecord, { key: string, list: FieldDescriptor[], map: Map<string, FieldDescriptor> }>()

function dynamicEntry(state: PortalState, entityTypeId: number): { list: FieldDescriptor[], map: Map<string, FieldDescriptor> } {
  const type = crmTypeByEntityTypeId(state, entityTypeId)
  if (!type) throw new Error(`no fields for ${entityTypeId}`)
  const key = JSON.stringify([type.flags, type.defaultCategoryId, parentTypesOf(state, entityTypeId)])
  let entry = dynamicCache.get(type)
  if (!entry || entry.key !== key) {
    const list = dynamicFields(state, type)
    entry = { key, list, map: new Map(list.map(field => [field.name, field])) }
    dynamicCache.set(type, entry)
  }
  return entry
}

/** Every field of a type's items (built-in or smart process), disabled ones included. */
export function itemFields(state: PortalState, entityTypeId: CrmEntityTypeId): readonly FieldDescriptor[] {
  return isBuiltInEntityTypeId(entityTypeId) ? CRM_FIELDS[entityTypeId] : dynamicEntry(state, entityTypeId).list
}

export function fieldMap(state: PortalState, entityTypeId: CrmEntityTypeId): Map<string, FieldDescriptor> {
  const map = isBuiltInEntityTypeId(entityTypeId) ? builtInFieldMaps.get(entityTypeId) : dynamicEntry(state, entityTypeId).map
  if (!map) throw new Error(`no fields for ${entityTypeId}`)
  return map
}

/** Names of the date and datetime fields: compared as instants in filters. */
export function dateFieldNames(state: PortalState, entityTypeId: CrmEntityTypeId): Set<string> {
  return new Set(itemFields(state, entityTypeId).filter(field => field.type === 'date' || field.type === 'datetime').map(field => field.name))
}

/** A new item with every field at its default, in the documented key order. */
export function blankItem(state: PortalState, entityTypeId: CrmEntityTypeId): Record<string, unknown> {
  const item: Record<string, unknown> = {}
  for (const field of itemFields(state, entityTypeId)) {
    item[field.name] = Array.isArray(field.defaultValue) ? [] : field.defaultValue
  }
  return item
}

/** crm.item.fields entry (R: crm-item-fields.md). */
export function describeField(field: FieldDescriptor): Record<string, unknown> {
  return {
    type: field.type,
    isRequired: field.required ?? false,
    isReadOnly: field.readOnly ?? false,
    isImmutable: field.immutable ?? false,
    isMultiple: field.multiple ?? false,
    // User fields (`uf…`) are the dynamic ones (R: api-reference/crm/universal/crm-item-fields.md).
    isDynamic: field.name.startsWith('uf'),
    ...(field.items ? { items: field.items.map(item => ({ ...item })) } : {}),
    ...(field.statusType ? { statusType: field.statusType } : {}),
    title: field.title,
    // parentId2 → PARENT_ID_2 (R: crm-item-fields.md).
    upperName: field.name.replace(/([A-Z])/g, '_$1').replace(/^(parent_Id)(\d+)$/i, '$1_$2').toUpperCase(),
    ...(field.settings ? { settings: field.settings } : {}),
  }
}
