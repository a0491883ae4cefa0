import type { ProcessDocumentType } from '../settings/settings.ts'

/** One parameter a template asks for at start (`PARAMETERS` of bizproc.workflow.template.list). */
export interface ProcessTemplateParameter {
  readonly id: string
  readonly name: string
  /** Bitrix24's field type: `string`, `text`, `user`, `int` … */
  readonly type: string
  readonly required: boolean
  readonly defaultValue: string
}

/** A business-process template the app can start on a deal or an invoice. */
export interface ProcessTemplate {
  readonly id: number
  readonly name: string
  readonly document: ProcessDocumentType
  readonly parameters: readonly ProcessTemplateParameter[]
}

/**
 * The portal's templates for deals and smart invoices. Listing them is for administrators only:
 * others get `admin-only` and the settings say so; `failed` carries the portal's error code.
 */
export type ProcessTemplateCatalog
  = | { readonly status: 'ready', readonly templates: readonly ProcessTemplate[] }
    | { readonly status: 'admin-only' }
    | { readonly status: 'failed', readonly code: string }
