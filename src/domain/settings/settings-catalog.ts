import type { ProcessTemplateCatalog } from '../bizproc/process-template.ts'
import type { Stage } from '../stage.ts'
import type { InvoiceDeskSettings } from './settings.ts'

/** Something the portal lists by id and name: a pipeline, a template, a company, a user. */
export interface NamedRef {
  readonly id: number
  readonly name: string
}

/** A CRM pipeline (category); `isDefault` marks the portal's default one. */
export interface Pipeline extends NamedRef {
  readonly isDefault: boolean
}

/** One item of a deal list (enumeration) field: its id, which the deal stores, and its text. */
export interface DealFieldItem {
  readonly id: string
  readonly value: string
}

/**
 * A deal field the auto-issue conditions can be mapped to (`crm.deal.fields`, R:
 * api-reference/crm/deals/crm-deal-fields.md): its code (`UF_CRM_…` or a standard field), its
 * title in the portal's language, its type, and for a list field (`enumeration`) its items.
 */
export interface DealFieldInfo {
  readonly code: string
  readonly title: string
  readonly type: string
  readonly multiple: boolean
  /** The list's items; null for a field that is not a list. */
  readonly items: readonly DealFieldItem[] | null
}

/**
 * What the portal offers to choose from in the settings: pipelines and their stages, document
 * templates for invoices, our companies, client companies for term overrides, users to notify.
 * The settings refer to these by id; validation checks each reference still exists.
 */
export interface SettingsCatalog {
  readonly invoicePipelines: readonly Pipeline[]
  /** Stages of every invoice pipeline (`Stage.categoryId` says which). */
  readonly invoiceStages: readonly Stage[]
  readonly dealPipelines: readonly Pipeline[]
  /** Stages of every deal pipeline. */
  readonly dealStages: readonly Stage[]
  readonly documentTemplates: readonly NamedRef[]
  readonly myCompanies: readonly NamedRef[]
  readonly companies: readonly NamedRef[]
  readonly users: readonly NamedRef[]
  /** The portal's base currency, e.g. `RUB`: minimum amounts are entered in it. */
  readonly baseCurrency: string
  /**
   * False when the portal refused to list document templates (the user lacks the "modify templates"
   * right): `documentTemplates` then holds only the template the settings store. Absent = listed.
   */
  readonly documentTemplatesListed?: boolean
  /** Business-process templates for deals and invoices (admins only); absent = not read. */
  readonly processTemplates?: ProcessTemplateCatalog
  /** Deal fields for the auto-issue conditions (payment method, region); absent = not read. */
  readonly dealFields?: readonly DealFieldInfo[]
}

/** The pipeline the settings use: the chosen one, or the portal's default. */
export function invoicePipelineOf(settings: InvoiceDeskSettings, catalog: SettingsCatalog): Pipeline | null {
  const chosen = catalog.invoicePipelines.find(pipeline => pipeline.id === settings.invoice.categoryId)
  return chosen ?? catalog.invoicePipelines.find(pipeline => pipeline.isDefault) ?? catalog.invoicePipelines[0] ?? null
}

/** Open (in-progress) stages of one invoice pipeline in pipeline order. */
export function openInvoiceStages(catalog: SettingsCatalog, categoryId: number | null): Stage[] {
  return catalog.invoiceStages
    .filter(stage => stage.categoryId === categoryId && stage.semantics === 'process')
    .sort((a, b) => a.sort - b.sort)
}

/**
 * Replaces the "portal default" choices (null) with the portal's actual defaults, so the editor
 * shows and saves concrete values: the default invoice pipeline, its second open stage as "sent"
 * (the first is the draft stage), the first invoice template and the first of our companies.
 * Choices the portal cannot fill stay null.
 */
export function resolveSettings(settings: InvoiceDeskSettings, catalog: SettingsCatalog): InvoiceDeskSettings {
  const pipeline = invoicePipelineOf(settings, catalog)
  const open = openInvoiceStages(catalog, pipeline?.id ?? null)
  const invoice = settings.invoice
  return {
    ...settings,
    invoice: {
      ...invoice,
      categoryId: invoice.categoryId ?? pipeline?.id ?? null,
      sentStageId: invoice.sentStageId ?? (open[1] ?? open[0])?.id ?? null,
      ...withTemplateName(invoice.documentTemplateId ?? catalog.documentTemplates[0]?.id ?? null, invoice.documentTemplateName, catalog),
      myCompanyId: invoice.myCompanyId ?? catalog.myCompanies[0]?.id ?? null,
    },
  }
}

function withTemplateName(id: number | null, stored: string | null, catalog: SettingsCatalog): { documentTemplateId: number | null, documentTemplateName: string | null } {
  const listed = id === null ? undefined : catalog.documentTemplates.find(template => template.id === id)
  return { documentTemplateId: id, documentTemplateName: listed?.name ?? stored }
}

/**
 * The settings with the chosen document template's name as the catalog lists it, so that saving
 * stores the id AND the name: the issue chain of a user who may not list templates reads both from
 * the settings. An id the catalog does not list keeps the stored name.
 */
export function bindDocumentTemplate(settings: InvoiceDeskSettings, catalog: SettingsCatalog): InvoiceDeskSettings {
  const invoice = settings.invoice
  const closing = withTemplateName(invoice.closingDocumentTemplateId ?? null, invoice.closingDocumentTemplateName ?? null, catalog)
  return {
    ...settings,
    invoice: {
      ...invoice,
      ...withTemplateName(invoice.documentTemplateId, invoice.documentTemplateName, catalog),
      closingDocumentTemplateId: closing.documentTemplateId,
      closingDocumentTemplateName: closing.documentTemplateName,
    },
  }
}

/** The document templates the settings store (invoice, closing document), as catalog entries (for a user who may not list templates). */
export function storedDocumentTemplates(settings: InvoiceDeskSettings): NamedRef[] {
  const { documentTemplateId: id, documentTemplateName: name, closingDocumentTemplateId: closingId, closingDocumentTemplateName: closingName } = settings.invoice
  const stored = id === null ? [] : [{ id, name: name ?? `#${id}` }]
  // The closing document's template too, so the settings page of such a user still names it.
  return closingId == null || closingId === id ? stored : [...stored, { id: closingId, name: closingName ?? `#${closingId}` }]
}
