import type { ProcessDocumentType } from '../settings/settings.ts'

/**
 * How Bitrix24 names the CRM documents business processes run on (R: bizproc-workflow-start.md,
 * template/bizproc-workflow-template-list.md): module `crm`, the document class (`ENTITY`), the type
 * (`DOCUMENT_TYPE`) and the element id, `DEAL_<id>` or `SMART_INVOICE_<id>`.
 */
export const BIZPROC_DOCUMENTS = {
  deal: { entity: 'CCrmDocumentDeal', documentType: 'DEAL', prefix: 'DEAL_' },
  invoice: { entity: 'Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice', documentType: 'SMART_INVOICE', prefix: 'SMART_INVOICE_' },
} as const satisfies Record<ProcessDocumentType, { entity: string, documentType: string, prefix: string }>

/** `DOCUMENT_ID` of bizproc.workflow.start: `['crm', entity, element]`. */
export type BizprocDocumentId = readonly [string, string, string]

/** The element part alone (`DEAL_12`), as bizproc.workflow.instances returns and filters `DOCUMENT_ID`. */
export function documentElement(type: ProcessDocumentType, id: number): string {
  return `${BIZPROC_DOCUMENTS[type].prefix}${id}`
}

/** `['crm', 'CCrmDocumentDeal', 'DEAL_12']` for a deal, the SmartInvoice class and `SMART_INVOICE_<id>` for an invoice. */
export function bizprocDocumentId(type: ProcessDocumentType, id: number): BizprocDocumentId {
  return ['crm', BIZPROC_DOCUMENTS[type].entity, documentElement(type, id)]
}

/**
 * The app's document type of a template row, from its `DOCUMENT_TYPE` (`DEAL`, `SMART_INVOICE`; an
 * array `[module, entity, type]` is read too) or, failing that, its `ENTITY`; null for anything else.
 */
export function templateDocumentType(entity: unknown, documentType: unknown): ProcessDocumentType | null {
  const type = Array.isArray(documentType) ? documentType[2] : documentType
  for (const [key, names] of Object.entries(BIZPROC_DOCUMENTS) as Array<[ProcessDocumentType, typeof BIZPROC_DOCUMENTS[ProcessDocumentType]]>) {
    if (type === names.documentType || (type === undefined && entity === names.entity))
      return key
  }
  return null
}

/** `DEAL_12` → `{ type: 'deal', id: 12 }`; null for other documents. */
export function parseDocumentElement(element: string): { readonly type: ProcessDocumentType, readonly id: number } | null {
  for (const type of ['invoice', 'deal'] as const) {
    const prefix = BIZPROC_DOCUMENTS[type].prefix
    const id = element.startsWith(prefix) ? Number(element.slice(prefix.length)) : Number.NaN
    if (Number.isInteger(id) && id > 0)
      return { type, id }
  }
  return null
}
