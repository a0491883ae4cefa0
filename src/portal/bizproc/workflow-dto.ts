import type { ProcessTemplate, ProcessTemplateCatalog, ProcessTemplateParameter } from '../../domain/bizproc/process-template.ts'
import type { BatchOutcome, RestCall } from '../portal-client.ts'
import { templateDocumentType } from '../../domain/bizproc/process-document.ts'

/** A bizproc.workflow.template.list row (UPPER_CASE; ids may come as strings). */
export interface TemplateDto {
  ID: number | string
  NAME?: string | null
  ENTITY?: string | null
  DOCUMENT_TYPE?: unknown
  PARAMETERS?: Record<string, { Name?: string, Type?: string, Required?: string | number | boolean, Default?: unknown }> | unknown[] | null
}

/** A bizproc.workflow.instances row: a running workflow. */
export interface InstanceDto {
  ID: string
  DOCUMENT_ID?: string | null
  TEMPLATE_ID?: number | string | null
  STARTED?: string | null
  STARTED_BY?: number | string | null
}

/** The settings catalog's one extra command: the crm templates (deal and invoice ones are kept). Admins only. */
export const TEMPLATE_LIST_CALL: RestCall = {
  method: 'bizproc.workflow.template.list',
  params: { SELECT: ['ID', 'NAME', 'ENTITY', 'DOCUMENT_TYPE', 'PARAMETERS'], FILTER: { MODULE_ID: 'crm' }, ORDER: { NAME: 'ASC' } },
}

const isYes = (value: unknown): boolean => value === true || value === 'Y' || value === '1' || value === 1

function parametersOf(raw: TemplateDto['PARAMETERS']): ProcessTemplateParameter[] {
  // An empty PHP array arrives as [], a filled one as an object keyed by parameter id.
  if (!raw || Array.isArray(raw))
    return []
  return Object.entries(raw).map(([id, field]) => ({
    id,
    name: field?.Name || id,
    type: field?.Type ?? 'string',
    required: isYes(field?.Required),
    defaultValue: typeof field?.Default === 'string' ? field.Default : '',
  }))
}

/** A deal or smart-invoice template; null for templates of other documents. */
export function templateFromDto(dto: TemplateDto): ProcessTemplate | null {
  const document = templateDocumentType(dto.ENTITY, dto.DOCUMENT_TYPE)
  return document === null ? null : { id: Number(dto.ID), name: dto.NAME ?? `#${dto.ID}`, document, parameters: parametersOf(dto.PARAMETERS) }
}

/** The catalog from the template list's batch outcome: refused for non-admins with ACCESS_DENIED. */
export function templateCatalogOf(outcome: BatchOutcome | undefined): ProcessTemplateCatalog {
  if (!outcome)
    return { status: 'failed', code: 'NOT_RUN' }
  if (!outcome.ok)
    return outcome.error.code === 'ACCESS_DENIED' ? { status: 'admin-only' } : { status: 'failed', code: outcome.error.code }
  const rows = Array.isArray(outcome.result) ? outcome.result as TemplateDto[] : []
  return { status: 'ready', templates: rows.map(templateFromDto).filter((entry): entry is ProcessTemplate => entry !== null) }
}
