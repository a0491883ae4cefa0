/** Writing crm.item fields: unknown and read-only keys are ignored (R: api-reference/crm/universal/crm-item-add.md, api-reference/crm/universal/crm-item-update.md). */
import { addDays, formatPortalDate, formatPortalDateTime, parsePortalDate, parsePortalInstant, portalDateOf } from '../core/portal-time.ts'
import { fieldMap } from '../data/crm-fields.ts'
import { rowsTax, rowsTotal } from '../data/product-row.ts'
import { crmTypeByEntityTypeId, firstDynamicStage } from '../data/crm-types.ts'
import { isBuiltInEntityTypeId, type BuiltInEntityTypeId, type CrmEntityTypeId, type CrmItem, type PortalState } from '../data/portal-state.ts'
import { asList } from '../rest/list-query.ts'
import type { CallContext } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'

const OWNER_TYPE_OF: Readonly<Record<BuiltInEntityTypeId, string>> = { 2: 'D', 3: 'C', 4: 'CO', 31: 'SI' }

/** Product-row owner code; a smart process's is `T` + its entityTypeId in hex (R: crm/data-types.md #object_type). */
export function ownerTypeOf(entityTypeId: CrmEntityTypeId): string {
  return isBuiltInEntityTypeId(entityTypeId) ? OWNER_TYPE_OF[entityTypeId] : `T${entityTypeId.toString(16)}`
}

function convertValue(name: string, type: string, multiple: boolean, value: unknown): unknown {
  if (multiple) {
    if (value !== '' && value !== null && typeof value !== 'object') {
      throw new RestError(400, '100', `Expected iterable value for multiple field, but got ${typeof value} instead`)
    }
    return asList(value).map(item => convertValue(name, type, false, item))
  }
  if (value === null || value === undefined) return null
  switch (type) {
    case 'integer': case 'user': case 'crm_company': case 'crm_contact': case 'crm_entity': case 'crm_category': {
      if (value === '') return type === 'crm_entity' ? null : 0
      const number = Number(value)
      if (Number.isNaN(number)) throw new RestError(400, 'CRM_FIELD_ERROR_VALUE_NOT_VALID', `Invalid value for field "${name}"`)
      return Math.trunc(number)
    }
    case 'double': {
      const number = Number(value)
      if (Number.isNaN(number)) throw new RestError(400, 'CRM_FIELD_ERROR_VALUE_NOT_VALID', `Invalid value for field "${name}"`)
      return number
    }
    case 'boolean':
      return value === true || value === 'Y' || value === 1 || value === '1' ? 'Y' : 'N'
    case 'date': {
      if (value === '') return null
      const date = parsePortalDate(value)
      if (date === null) throw new RestError(400, 'CRM_FIELD_ERROR_VALUE_NOT_VALID', `Invalid value for field "${name}"`)
      return formatPortalDate(date)
    }
    case 'datetime': {
      if (value === '') return null
      const instant = parsePortalInstant(value)
      if (instant === null) throw new RestError(400, 'CRM_FIELD_ERROR_VALUE_NOT_VALID', `Invalid value for field "${name}"`)
      return formatPortalDateTime(instant)
    }
    default:
      return typeof value === 'object' ? value : String(value)
  }
}

/** Copies the writable known fields into the item. Returns the names written. */
export function writeFields(state: PortalState, entityTypeId: CrmEntityTypeId, item: CrmItem, fields: Record<string, unknown>, isNew: boolean): Set<string> {
  const descriptors = fieldMap(state, entityTypeId)
  const written = new Set<string>()
  for (const [name, value] of Object.entries(fields)) {
    const field = descriptors.get(name)
    if (!field || field.readOnly || field.disabled) continue
    if (field.immutable && !isNew) continue
    item[name] = convertValue(name, field.type, field.multiple ?? false, value)
    written.add(name)
  }
  return written
}

function firstStageOf(state: PortalState, entityTypeId: CrmEntityTypeId, categoryId: number): string | null {
  const entityId = entityTypeId === 2 ? 'DEAL_STAGE' : `SMART_INVOICE_STAGE_${categoryId}`
  const stages = state.statuses.filter(status => status.ENTITY_ID === entityId).sort((a, b) => Number(a.SORT) - Number(b.SORT))
  return stages[0]?.STATUS_ID ?? null
}

function stageSemantics(state: PortalState, stageId: unknown): 'S' | 'F' | 'P' {
  const stage = state.statuses.find(status => status.STATUS_ID === stageId && (status.ENTITY_ID === 'DEAL_STAGE' || status.ENTITY_ID.startsWith('SMART_INVOICE_STAGE_')))
  return stage?.SEMANTICS ?? 'P'
}

/**
 * Defaults of a smart process item (R: crm-item-add.md «SPA»): title «{type title} #{id}», the type's
 * pipeline and its first stage, start date today and end date +7 days, the default currency, the first
 * «my company», each only where the type's setting enables the field (disabled fields stay null).
 */
function applyDynamicDefaults(ctx: CallContext, entityTypeId: number, item: CrmItem, written: Set<string>, now: string, today: string): void {
  const type = crmTypeByEntityTypeId(ctx.state, entityTypeId)
  if (!type) return
  const on = (flag: keyof typeof type.flags): boolean => type.flags[flag] === 'Y'
  item.movedTime = now
  item.movedBy = ctx.userId
  if (!written.has('title') || !item.title) item.title = `${type.title} #${item.id}`
  const categoryOk = ctx.state.categories.some(category => category.entityTypeId === entityTypeId && category.id === Number(item.categoryId))
  if (!categoryOk) item.categoryId = type.defaultCategoryId
  if (on('isStagesEnabled')) {
    const stageEntity = `DYNAMIC_${entityTypeId}_STAGE_${String(item.categoryId)}`
    const stageOk = ctx.state.statuses.some(status => status.ENTITY_ID === stageEntity && status.STATUS_ID === item.stageId)
    if (!stageOk) item.stageId = firstDynamicStage(ctx.state, entityTypeId, Number(item.categoryId))
  }
  if (on('isBeginCloseDatesEnabled')) {
    if (!written.has('begindate') || item.begindate === null) item.begindate = formatPortalDate(today)
    if (!written.has('closedate') || item.closedate === null) item.closedate = formatPortalDate(addDays(today, 7))
  }
  if (on('isLinkWithProductsEnabled') && (!written.has('currencyId') || !item.currencyId)) item.currencyId = 'RUB'
  if (on('isMycompanyEnabled') && (!written.has('mycompanyId') || !item.mycompanyId)) {
    item.mycompanyId = ctx.state.entities[4].items.find(company => company.isMyCompany === 'Y')?.id ?? 0
  }
  if (on('isClientEnabled') && Array.isArray(item.contactIds) && item.contactIds.length === 0 && Number(item.contactId) > 0) {
    item.contactIds = [item.contactId]
  }
}

/** Defaults the portal fills on add (R: object-fields.md #invoice: title, begindate, closedate +7 days, mycompanyId...). */
export function applyAddDefaults(ctx: CallContext, entityTypeId: CrmEntityTypeId, item: CrmItem, written: Set<string>): void {
  const now = formatPortalDateTime(ctx.now)
  const today = portalDateOf(ctx.now)
  item.createdTime = now
  item.updatedTime = now
  item.createdBy = ctx.userId
  item.updatedBy = ctx.userId
  if (!written.has('assignedById') || !item.assignedById) item.assignedById = ctx.userId
  if (!isBuiltInEntityTypeId(entityTypeId)) {
    applyDynamicDefaults(ctx, entityTypeId, item, written, now, today)
    return
  }
  if (entityTypeId === 2 || entityTypeId === 31) {
    item.movedTime = now
    item.movedBy = ctx.userId
    if (!written.has('begindate') || item.begindate === null) item.begindate = formatPortalDate(today)
    if (!written.has('closedate') || item.closedate === null) item.closedate = formatPortalDate(addDays(today, 7))
    if (!written.has('currencyId') || !item.currencyId) item.currencyId = 'RUB'
  }
  if (entityTypeId === 31) {
    if (!written.has('categoryId') || !item.categoryId) item.categoryId = ctx.state.invoiceCategoryId
    if (!written.has('title') || !item.title) item.title = `Счёт #${item.id}`
    // The numerator's template is portal-specific; the emulator uses the demo's «СЧ-00001» form.
    if (!written.has('accountNumber') || !item.accountNumber) item.accountNumber = `СЧ-${String(item.id).padStart(5, '0')}`
    if (!written.has('mycompanyId') || !item.mycompanyId) {
      item.mycompanyId = ctx.state.entities[4].items.find(company => company.isMyCompany === 'Y')?.id ?? 0
    }
  }
  if (entityTypeId === 2 && (!written.has('title') || !item.title)) item.title = `Сделка #${item.id}`
  if ((entityTypeId === 2 || entityTypeId === 31) && (!written.has('stageId') || !item.stageId)) {
    item.stageId = firstStageOf(ctx.state, entityTypeId, Number(item.categoryId))
  }
  if (entityTypeId === 31 && Array.isArray(item.contactIds) && item.contactIds.length === 0 && Number(item.contactId) > 0) {
    item.contactIds = [item.contactId]
  }
  if (entityTypeId === 2) item.stageSemanticId = stageSemantics(ctx.state, item.stageId)
}

/** Bookkeeping after an update: stage history, modified by/at. */
export function applyUpdateBookkeeping(ctx: CallContext, entityTypeId: CrmEntityTypeId, item: CrmItem, previousStageId: unknown): void {
  const now = formatPortalDateTime(ctx.now)
  item.updatedTime = now
  item.updatedBy = ctx.userId
  const dynamic = !isBuiltInEntityTypeId(entityTypeId)
  if ((entityTypeId === 2 || entityTypeId === 31 || dynamic) && item.stageId !== previousStageId) {
    if (entityTypeId === 31 || dynamic) item.previousStageId = previousStageId
    item.movedTime = now
    item.movedBy = ctx.userId
  }
  if (entityTypeId === 2) {
    const semantics = stageSemantics(ctx.state, item.stageId)
    item.stageSemanticId = semantics
    item.closed = semantics === 'P' ? 'N' : 'Y'
  }
}

/**
 * With `isManualOpportunity = 'N'` the portal keeps `opportunity` equal to the product rows' total
 * (R: object-fields.md: isManualOpportunity "the amount is calculated from products" when N). Without rows
 * the amount stays as written.
 */
export function syncOpportunityWithRows(state: PortalState, entityTypeId: CrmEntityTypeId, item: CrmItem): void {
  if (item.isManualOpportunity === 'Y' || !('opportunity' in item)) return
  const ownerType = ownerTypeOf(entityTypeId)
  const rows = state.productRows.filter(row => row.ownerType === ownerType && row.ownerId === item.id)
  if (rows.length === 0) return
  item.opportunity = rowsTotal(rows)
  item.taxValue = rowsTax(rows)
}
