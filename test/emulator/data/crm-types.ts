/**
 * Smart processes ("SPA", user-defined CRM types) of the emulated portal
 * (R: api-reference/crm/universal/user-defined-object-types/*.md, crm-item-add.md «SPA», crm-item-fields.md).
 * The type settings and the relations between types live on the portal state (`state.crmTypes`,
 * `state.crmRelations`); a type's items live in `state.entities[entityTypeId]` like the built-in ones.
 */
import type { Category, PortalState, StatusEntry } from './portal-state.ts'

/** The Y/N settings of a type, in the documented order (R: crm-type-get.md answer). */
export const CRM_TYPE_FLAGS = [
  'isCategoriesEnabled', 'isStagesEnabled', 'isBeginCloseDatesEnabled', 'isClientEnabled', 'isUseInUserfieldEnabled',
  'isLinkWithProductsEnabled', 'isMycompanyEnabled', 'isDocumentsEnabled', 'isSourceEnabled', 'isObserversEnabled',
  'isRecyclebinEnabled', 'isAutomationEnabled', 'isBizProcEnabled', 'isSetOpenPermissions', 'isPaymentsEnabled', 'isCountersEnabled',
] as const
export type CrmTypeFlag = typeof CRM_TYPE_FLAGS[number]

/** Only `isSetOpenPermissions` defaults to Y (R: crm-type-add.md, parameter table). */
export const DEFAULT_FLAGS: Readonly<Record<CrmTypeFlag, 'Y' | 'N'>> = Object.fromEntries(
  CRM_TYPE_FLAGS.map(flag => [flag, flag === 'isSetOpenPermissions' ? 'Y' : 'N']),
) as Record<CrmTypeFlag, 'Y' | 'N'>

export const LINKED_USER_FIELDS = ['CALENDAR_EVENT|UF_CRM_CAL_EVENT', 'TASKS_TASK|UF_CRM_TASK', 'TASKS_TASK_TEMPLATE|UF_CRM_TASK'] as const

export interface CrmTypeRecord {
  id: number
  title: string
  code: string
  createdBy: number
  entityTypeId: number
  customSectionId: number | null
  flags: Record<CrmTypeFlag, 'Y' | 'N'>
  createdTime: string
  updatedTime: string
  updatedBy: number
  linkedUserFields: Record<string, 'Y' | 'N'>
  /** The pipeline crm.type.add creates with the type (crm.category.list). */
  defaultCategoryId: number
}

/** One row of the portal's relation table: a parent type's items can be linked to a child type's items. */
export interface CrmRelation {
  parentEntityTypeId: number
  childEntityTypeId: number
  isChildrenListEnabled: 'Y' | 'N'
  /** Set by the portal itself (the client field's contacts and companies), not by the caller. */
  isPredefined: 'Y' | 'N'
}

/** Types a relation may point at: lead, deal, contact, company, quote, invoice (R: crm/data-types.md #object_type) and any smart process. */
export const RELATABLE_BUILT_IN_TYPES: ReadonlySet<number> = new Set([1, 2, 3, 4, 7, 31])

/** Names of the CRM types for `parentId<N>` field titles (R: crm-item-fields.md example: «Lead», «Deal», a smart process's title). */
export const BUILT_IN_TYPE_TITLES: Readonly<Record<number, string>> = { 1: 'Lead', 2: 'Deal', 3: 'Contact', 4: 'Company', 7: 'Estimate', 31: 'Invoice' }

export function crmTypeByEntityTypeId(state: PortalState, entityTypeId: number): CrmTypeRecord | undefined {
  return state.crmTypes.find(type => type.entityTypeId === entityTypeId)
}

export function crmTypeById(state: PortalState, id: number): CrmTypeRecord | undefined {
  return state.crmTypes.find(type => type.id === id)
}

/** Entity type ids the types' own relations allow (R: crm-type-add.md: even >= 1030, or 128..192). */
export function isAllowedDynamicEntityTypeId(value: number): boolean {
  return Number.isInteger(value) && ((value >= 1030 && value % 2 === 0) || (value >= 128 && value <= 192))
}

/**
 * The next free generated id: even, counting up from 1032 (what new cloud portals hand out: 1032, 1034…;
 * the docs only say "generated automatically").
 */
export function nextDynamicEntityTypeId(state: PortalState): number {
  const taken = state.crmTypes.map(type => type.entityTypeId).filter(id => id >= 1030)
  return Math.max(1030, ...taken) + 2
}

/** Parent types of a type (each gives its items a `parentId<N>` field), without the predefined client links. */
export function parentTypesOf(state: PortalState, entityTypeId: number): number[] {
  const parents: number[] = []
  for (const relation of state.crmRelations) {
    if (relation.childEntityTypeId !== entityTypeId || relation.isPredefined === 'Y') continue
    if (!parents.includes(relation.parentEntityTypeId)) parents.push(relation.parentEntityTypeId)
  }
  return parents
}

/** The `relations` object of crm.type.get (R: crm-type-get.md answer). */
export function relationsView(state: PortalState, entityTypeId: number): { parent: Record<string, unknown>[], child: Record<string, unknown>[] } {
  const view = (relation: CrmRelation, other: number) => ({ entityTypeId: other, isChildrenListEnabled: relation.isChildrenListEnabled, isPredefined: relation.isPredefined })
  return {
    parent: state.crmRelations.filter(relation => relation.childEntityTypeId === entityTypeId).map(relation => view(relation, relation.parentEntityTypeId)),
    child: state.crmRelations.filter(relation => relation.parentEntityTypeId === entityTypeId).map(relation => view(relation, relation.childEntityTypeId)),
  }
}

/** The default stages of a new smart process pipeline (what Bitrix24 creates: start, preparation, client approval, success, failure). */
const DEFAULT_STAGES: readonly { code: string, name: string, color: string, semantics: 'S' | 'F' | null }[] = [
  { code: 'NEW', name: 'Начало', color: '#22B9FF', semantics: null },
  { code: 'PREPARATION', name: 'Подготовка', color: '#2FC6F6', semantics: null },
  { code: 'CLIENT', name: 'Согласование с клиентом', color: '#FFA900', semantics: null },
  { code: 'SUCCESS', name: 'Успех', color: '#7BD500', semantics: 'S' },
  { code: 'FAIL', name: 'Провал', color: '#FF5752', semantics: 'F' },
]

export const stageEntityId = (entityTypeId: number, categoryId: number): string => `DYNAMIC_${entityTypeId}_STAGE_${categoryId}`

/** Creates the type's default pipeline and its stages (crm.category.list / crm.status.list see them). Returns the pipeline id. */
export function createDefaultPipeline(state: PortalState, entityTypeId: number): number {
  const categoryId = Math.max(0, ...state.categories.map(category => category.id)) + 1
  const category: Category = { id: categoryId, name: 'Общая', sort: 500, entityTypeId, isDefault: 'Y' }
  state.categories.push(category)
  let nextStatusId = Math.max(0, ...state.statuses.map(status => Number(status.ID) || 0)) + 1
  DEFAULT_STAGES.forEach((stage, index) => {
    const entry: StatusEntry = {
      ID: String(nextStatusId++), ENTITY_ID: stageEntityId(entityTypeId, categoryId), STATUS_ID: `DT${entityTypeId}_${categoryId}:${stage.code}`,
      NAME: stage.name, NAME_INIT: stage.name, SORT: String((index + 1) * 10), SYSTEM: stage.semantics === null && index > 0 ? 'N' : 'Y',
      CATEGORY_ID: String(categoryId), COLOR: stage.color, SEMANTICS: stage.semantics,
    }
    state.statuses.push(entry)
  })
  return categoryId
}

/** Drops everything a type owns: its items, pipelines, stages and relations. */
export function dropType(state: PortalState, type: CrmTypeRecord): void {
  const id = type.entityTypeId
  delete state.entities[id]
  const categories = new Set(state.categories.filter(category => category.entityTypeId === id).map(category => category.id))
  state.categories = state.categories.filter(category => category.entityTypeId !== id)
  const stageEntities = new Set([...categories].map(categoryId => stageEntityId(id, categoryId)))
  state.statuses = state.statuses.filter(status => !stageEntities.has(status.ENTITY_ID))
  state.crmRelations = state.crmRelations.filter(relation => relation.parentEntityTypeId !== id && relation.childEntityTypeId !== id)
  state.crmTypes = state.crmTypes.filter(entry => entry !== type)
}

/** The first stage of a pipeline of a smart process, or null. */
export function firstDynamicStage(state: PortalState, entityTypeId: number, categoryId: number): string | null {
  const entityId = stageEntityId(entityTypeId, categoryId)
  const stages = state.statuses.filter(status => status.ENTITY_ID === entityId).sort((a, b) => Number(a.SORT) - Number(b.SORT))
  return stages[0]?.STATUS_ID ?? null
}
