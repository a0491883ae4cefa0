/** crm.type.add/list/get/getByEntityTypeId/delete/fields (R: api-reference/crm/universal/user-defined-object-types/*.md). */
import { formatPortalDateTime } from '../core/portal-time.ts'
import {
  createDefaultPipeline, CRM_TYPE_FLAGS, crmTypeByEntityTypeId, crmTypeById, DEFAULT_FLAGS, dropType, isAllowedDynamicEntityTypeId,
  LINKED_USER_FIELDS, nextDynamicEntityTypeId, RELATABLE_BUILT_IN_TYPES, relationsView, type CrmRelation, type CrmTypeFlag, type CrmTypeRecord,
} from '../data/crm-types.ts'
import { createEntityTable, type PortalState } from '../data/portal-state.ts'
import { asList, runListQuery, type FieldTemporalKind, type ListOptions } from '../rest/list-query.ts'
import type { CallContext, MethodDefinition, Params } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'

const errors = {
  /** R: crm-type-add.md, -list, -delete, -fields: "user without administrative rights in CRM". */
  accessDenied: () => new RestError(400, 'ACCESS_DENIED', 'Access denied'),
  /** R: crm-type-get.md, -get-by-entity-type-id.md, -delete.md: `"error": 0`. */
  notFound: () => new RestError(400, '0', 'Smart process not found', { error: 0 }),
  noFields: () => new RestError(400, '100', 'Could not find value for parameter {fields}'),
  outOfRange: () => new RestError(400, 'INVALID_ARG_VALUE', 'entityTypeId is out of allowed range'),
  /** Not in the docs: the portal refuses a second type with the same entityTypeId (unique); code and text are the emulator's. */
  duplicate: () => new RestError(400, 'INVALID_ARG_VALUE', 'A smart process with this entityTypeId already exists'),
  /** Not in the docs: `title*` is required; the crm ORM's required-field error. */
  noTitle: () => new RestError(400, 'CRM_FIELD_ERROR_REQUIRED', 'Field "Title" is required'),
  hasItems: () => new RestError(400, 'BX_ERROR', 'You cannot delete an entity type that has elements'),
  /** R: crm-type-add.md: "Creating an SPA is restricted due to the plan" (the emulator's `basic` plan allows none). */
  restricted: () => new RestError(400, 'CREATE_DYNAMIC_TYPE_RESTRICTED', 'Maximum number of SPAs exceeded'),
}

/** Who administers CRM: the emulator's admins (user 1 and the webhook). */
function requireCrmAdmin(ctx: CallContext): void {
  if (!ctx.isAdmin) throw errors.accessDenied()
}

/** crm.type.get / getByEntityTypeId: admins, or anyone who may read the type's items (open permissions). */
function requireTypeReader(ctx: CallContext, type: CrmTypeRecord): void {
  if (!ctx.isAdmin && type.flags.isSetOpenPermissions !== 'Y') throw errors.accessDenied()
}

/** Y/N settings: 'Y', true, 'true', 1 → Y (the portal's boolean conversion). */
function flagValue(value: unknown): 'Y' | 'N' {
  return value === 'Y' || value === 'y' || value === true || value === 'true' || value === 1 || value === '1' ? 'Y' : 'N'
}

/** `isChildrenListEnabled` and `linkedUserFields`: only "true"/"false" work, Y/N do not (R: crm-type-add.md). */
function trueFalseValue(value: unknown): 'Y' | 'N' {
  return value === true || value === 'true' || value === 1 || value === '1' ? 'Y' : 'N'
}

/** List rows (R: crm-type-list.md answer: no relations, linkedUserFields, customSections). */
function listView(type: CrmTypeRecord): Record<string, unknown> {
  return {
    id: type.id, title: type.title, code: type.code, createdBy: type.createdBy, entityTypeId: type.entityTypeId,
    customSectionId: type.customSectionId, ...type.flags, createdTime: type.createdTime, updatedTime: type.updatedTime, updatedBy: type.updatedBy,
  }
}

/** crm.type.get / add answer (R: crm-type-get.md). */
function fullView(state: PortalState, type: CrmTypeRecord): Record<string, unknown> {
  return { ...listView(type), relations: relationsView(state, type.entityTypeId), linkedUserFields: { ...type.linkedUserFields }, customSections: [] }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The caller's relations as relation rows; links to unknown types are dropped (the docs are silent). */
function parseRelations(state: PortalState, entityTypeId: number, relations: unknown, isClientEnabled: boolean): CrmRelation[] {
  const known = (id: number): boolean => id !== entityTypeId && (RELATABLE_BUILT_IN_TYPES.has(id) || crmTypeByEntityTypeId(state, id) !== undefined)
  const rows: CrmRelation[] = []
  const add = (row: CrmRelation): void => {
    if (!rows.some(existing => existing.parentEntityTypeId === row.parentEntityTypeId && existing.childEntityTypeId === row.childEntityTypeId)) rows.push(row)
  }
  // The client field links contacts and companies as predefined parents (R: crm-type-get.md answer).
  if (isClientEnabled) {
    for (const parent of [3, 4]) add({ parentEntityTypeId: parent, childEntityTypeId: entityTypeId, isChildrenListEnabled: 'Y', isPredefined: 'Y' })
  }
  const source = isObject(relations) ? relations : {}
  for (const [direction, list] of [['parent', source.parent], ['child', source.child]] as const) {
    for (const entry of asList(list)) {
      if (!isObject(entry)) continue
      const other = Number(entry.entityTypeId)
      if (!Number.isInteger(other) || !known(other)) continue
      const enabled = trueFalseValue(entry.isChildrenListEnabled)
      add(direction === 'parent'
        ? { parentEntityTypeId: other, childEntityTypeId: entityTypeId, isChildrenListEnabled: enabled, isPredefined: 'N' }
        : { parentEntityTypeId: entityTypeId, childEntityTypeId: other, isChildrenListEnabled: enabled, isPredefined: 'N' })
    }
  }
  return rows
}

const add: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    requireCrmAdmin(ctx)
    if (ctx.plan === 'basic') throw errors.restricted()
    if (!isObject(params.fields)) throw errors.noFields()
    const fields = params.fields
    const title = typeof fields.title === 'string' || typeof fields.title === 'number' ? String(fields.title).trim() : ''
    if (!title) throw errors.noTitle()
    let entityTypeId: number
    if (fields.entityTypeId === undefined || fields.entityTypeId === null || fields.entityTypeId === '' || Number(fields.entityTypeId) === 0) {
      entityTypeId = nextDynamicEntityTypeId(ctx.state)
    }
    else {
      entityTypeId = Number(fields.entityTypeId)
      if (!isAllowedDynamicEntityTypeId(entityTypeId)) throw errors.outOfRange()
      if (crmTypeByEntityTypeId(ctx.state, entityTypeId)) throw errors.duplicate()
    }
    const flags = { ...DEFAULT_FLAGS }
    for (const flag of CRM_TYPE_FLAGS) if (fields[flag] !== undefined) flags[flag as CrmTypeFlag] = flagValue(fields[flag])
    // Payments and counters are not settings crm.type.add takes (R: crm-type-add.md parameter table).
    flags.isPaymentsEnabled = 'N'
    flags.isCountersEnabled = 'N'
    const linked = isObject(fields.linkedUserFields) ? fields.linkedUserFields : {}
    const linkedUserFields = Object.fromEntries(LINKED_USER_FIELDS.map(name =>
      [name, flags.isUseInUserfieldEnabled === 'Y' ? trueFalseValue(linked[name]) : 'N'])) as Record<string, 'Y' | 'N'>
    const now = formatPortalDateTime(ctx.now)
    const relations = parseRelations(ctx.state, entityTypeId, fields.relations, flags.isClientEnabled === 'Y')
    const type: CrmTypeRecord = {
      id: ctx.state.nextCrmTypeId++, title, code: typeof fields.code === 'string' ? fields.code : '', createdBy: ctx.userId, entityTypeId,
      customSectionId: null, flags, createdTime: now, updatedTime: now, updatedBy: ctx.userId, linkedUserFields, defaultCategoryId: 0,
    }
    type.defaultCategoryId = createDefaultPipeline(ctx.state, entityTypeId)
    ctx.state.crmTypes.push(type)
    ctx.state.crmRelations.push(...relations)
    ctx.state.entities[entityTypeId] = createEntityTable()
    // A new parentId<N> field of an existing smart process child: its items answer it as null.
    for (const relation of relations) {
      const childTable = relation.parentEntityTypeId === entityTypeId ? ctx.state.entities[relation.childEntityTypeId] : undefined
      if (!childTable || !crmTypeByEntityTypeId(ctx.state, relation.childEntityTypeId)) continue
      for (const item of childTable.items) if (!(`parentId${entityTypeId}` in item)) item[`parentId${entityTypeId}`] = null
    }
    return { result: { type: fullView(ctx.state, type) }, rowsTouched: 1 }
  },
}

const TYPE_LIST_FIELDS = ['id', 'title', 'code', 'createdBy', 'entityTypeId', 'customSectionId', ...CRM_TYPE_FLAGS, 'createdTime', 'updatedTime', 'updatedBy']
const TYPE_LIST_OPTIONS: ListOptions = {
  allowedFields: new Set(TYPE_LIST_FIELDS),
  temporalFields: new Map<string, FieldTemporalKind>([['createdTime', 'datetime'], ['updatedTime', 'datetime']]),
  sortedByKey: 'id',
  defaultOrder: { id: 'ASC' },
}

const list: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    requireCrmAdmin(ctx)
    const rows = ctx.state.crmTypes.map(listView) as (Record<string, unknown> & { id: number })[]
    const page = runListQuery(rows, { filter: params.filter, order: params.order, start: params.start }, TYPE_LIST_OPTIONS)
    return { result: { types: page.rows }, total: page.total, ...(page.next === undefined ? {} : { next: page.next }), rowsTouched: page.scanned }
  },
}

function typeByParam(ctx: CallContext, value: unknown, find: (state: PortalState, id: number) => CrmTypeRecord | undefined): CrmTypeRecord {
  const type = find(ctx.state, Number(value))
  if (!type) throw errors.notFound()
  return type
}

const get: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const type = typeByParam(ctx, params.id, crmTypeById)
    requireTypeReader(ctx, type)
    return { result: { type: fullView(ctx.state, type) } }
  },
}

const getByEntityTypeId: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const type = typeByParam(ctx, params.entityTypeId, crmTypeByEntityTypeId)
    requireTypeReader(ctx, type)
    return { result: { type: fullView(ctx.state, type) } }
  },
}

/** Refused while the type has items (R: crm-type-delete.md: "delete them first"). */
const remove: MethodDefinition = {
  scope: 'crm',
  handler(params: Params, ctx) {
    requireCrmAdmin(ctx)
    // R: crm-type-delete.md: without `id` the answer is `result: null` and nothing is deleted.
    if (params.id === undefined || params.id === null || params.id === '') return { result: null }
    const type = typeByParam(ctx, params.id, crmTypeById)
    if ((ctx.state.entities[type.entityTypeId]?.items.length ?? 0) > 0) throw errors.hasItems()
    dropType(ctx.state, type)
    return { result: [], rowsTouched: 1 }
  },
}

const describe = (type: string, title: string, upperName: string, extra: { isRequired?: boolean, isReadOnly?: boolean, isImmutable?: boolean } = {}) => ({
  type, isRequired: extra.isRequired ?? false, isReadOnly: extra.isReadOnly ?? false, isImmutable: extra.isImmutable ?? false,
  isMultiple: false, isDynamic: false, title, upperName,
})

const FLAG_TITLES: Readonly<Record<CrmTypeFlag, string>> = {
  isCategoriesEnabled: 'Use custom funnels and sales tunnels in the smart process',
  isStagesEnabled: 'Use custom stages and Kanban in the smart process',
  isBeginCloseDatesEnabled: 'Fields \'Start Date\' and \'End Date\'',
  isClientEnabled: 'Field \'Client\'',
  isUseInUserfieldEnabled: 'Use in user field',
  isLinkWithProductsEnabled: 'Link with catalog products',
  isMycompanyEnabled: 'Field \'Your Company Details\'',
  isDocumentsEnabled: 'Document Printing',
  isSourceEnabled: 'Fields \'Source\' and \'Additional Information about Source\'',
  isObserversEnabled: 'Field \'Observers\'',
  isRecyclebinEnabled: 'Use Recycle Bin',
  isAutomationEnabled: 'Use Automation rules and triggers in the smart process',
  isBizProcEnabled: 'Use business process designer in the smart process',
  isSetOpenPermissions: 'Make new funnels available to everyone',
  isPaymentsEnabled: 'Payments',
  isCountersEnabled: 'Counters',
}

/** R: crm-type-fields.md answer (its flags end at isSetOpenPermissions; payments and counters are not listed). */
const TYPE_FIELDS: Record<string, unknown> = {
  id: describe('integer', 'ID', 'ID', { isReadOnly: true }),
  title: describe('string', 'Title', 'TITLE', { isRequired: true }),
  code: describe('string', 'Symbolic Code', 'CODE'),
  createdBy: describe('user', 'Created By', 'CREATED_BY', { isReadOnly: true }),
  entityTypeId: describe('integer', 'Type Identifier', 'ENTITY_TYPE_ID', { isRequired: true, isImmutable: true }),
  customSectionId: describe('integer', 'Digital Workspace', 'CUSTOM_SECTION_ID', { isImmutable: true }),
  ...Object.fromEntries(CRM_TYPE_FLAGS.filter(flag => flag !== 'isPaymentsEnabled' && flag !== 'isCountersEnabled').map(flag =>
    [flag, describe('boolean', FLAG_TITLES[flag], flag.replace(/([A-Z])/g, '_$1').toUpperCase())])),
  createdTime: describe('datetime', 'Creation Date', 'CREATED_TIME'),
  updatedTime: describe('datetime', 'Modification Date', 'UPDATED_TIME'),
  updatedBy: describe('user', 'Modified By', 'UPDATED_BY', { isReadOnly: true }),
}

const fields: MethodDefinition = {
  scope: 'crm',
  handler(_params, ctx) {
    requireCrmAdmin(ctx)
    return { result: { fields: TYPE_FIELDS } }
  },
}

export const crmTypeMethods: Record<string, MethodDefinition> = {
  'crm.type.add': add,
  'crm.type.list': list,
  'crm.type.get': get,
  'crm.type.getbyentitytypeid': getByEntityTypeId,
  'crm.type.delete': remove,
  'crm.type.fields': fields,
}
