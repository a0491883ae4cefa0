import type { IssuePlan } from '../../domain/issue/issue-plan.ts'
import type { BatchOutcome, PortalClient, RestCall } from '../portal-client.ts'
import type { Invoice } from '../../domain/invoice.ts'
import type { Money } from '../../domain/money.ts'
import type { DealItemDto, InvoiceItemDto } from '../crm/crm-dto.ts'
import type { ReplayGuard } from '../replay-guard.ts'
import type { DocumentDto } from './issue-dto.ts'
import { moneyToDecimal } from '../../domain/money.ts'
import { ENTITY, errorOf, required } from '../batch-outcome.ts'
import { dealFromDto, invoiceFromDto } from '../crm/crm-mappers.ts'
import { PortalError } from '../portal-error.ts'
import { guardedBatch } from '../replay-guard.ts'
import { productRowToDto } from './issue-dto.ts'
import { ATTEMPT_PREFIX } from './issue-read.ts'

const NEW_INVOICE = '$result[invoice][item][id]'

/** The document as the chain needs it: where the PDF and the public page are. */
export interface IssuedDocument {
  readonly id: number
  /** A portal page for a logged-in user (not for the client): its presence says the PDF is ready. */
  readonly pdfUrl: string | null
  /** The page anyone with the link may open: the only link the client gets. */
  readonly publicUrl: string | null
  /** The PDF for machines (`…Machine` link with its token); fetched by the runner to attach the file. */
  readonly pdfUrlMachine: string | null
  /** Set when the portal failed to convert the document to PDF. */
  readonly conversionError: string | null
}

export function documentFromDto(dto: DocumentDto): IssuedDocument {
  const failed = dto.isTransformationError === true || dto.isTransformationError === 'Y'
  return {
    id: Number(dto.id),
    pdfUrl: dto.pdfUrl || null,
    publicUrl: dto.publicUrl || null,
    pdfUrlMachine: dto.pdfUrlMachine || null,
    conversionError: failed ? (dto.transformationErrorMessage || 'PDF conversion failed') : null,
  }
}

/** The link the client gets: the public page only (`pdfUrl` is behind the portal's login). */
export function documentLink(document: IssuedDocument | null): string | null {
  return document?.publicUrl || null
}

function invoiceFields(plan: IssuePlan, attemptId: string | null): Record<string, unknown> {
  const { invoice } = plan
  return {
    title: invoice.title,
    xmlId: invoice.key,
    ...(attemptId === null ? {} : { sourceDescription: `${ATTEMPT_PREFIX}${attemptId}` }),
    parentId2: invoice.dealId,
    ...(invoice.categoryId === null ? {} : { categoryId: invoice.categoryId }),
    ...(invoice.companyId === null ? {} : { companyId: invoice.companyId }),
    ...(invoice.contactIds.length > 0 ? { contactId: invoice.contactIds[0], contactIds: invoice.contactIds } : {}),
    ...(invoice.myCompanyId === null ? {} : { mycompanyId: invoice.myCompanyId }),
    ...(invoice.responsibleId === null ? {} : { assignedById: invoice.responsibleId }),
    begindate: invoice.issueDate,
    closedate: invoice.dueDate,
    currencyId: invoice.amount.currency,
    opportunity: moneyToDecimal(invoice.amount),
    isManualOpportunity: 'N',
  }
}

function rowsCall(ownerId: number | string, plan: IssuePlan): RestCall {
  return { method: 'crm.item.productrow.set', params: { ownerType: 'SI', ownerId, productRows: plan.rows.map(row => productRowToDto(row, plan.invoice.amount.currency)) } }
}

function documentCalls(entityId: number | string, templateId: number): Record<string, RestCall> {
  return {
    document: { method: 'crm.documentgenerator.document.add', params: { templateId, entityTypeId: ENTITY.invoice, entityId } },
    public: { method: 'crm.documentgenerator.document.enablepublicurl', params: { id: '$result[document][document][id]', status: 1 } },
  }
}

/** The document from an add + enablepublicurl pair of outcomes; the public link may still be missing. */
function documentOf(outcomes: Record<string, BatchOutcome>): IssuedDocument {
  const document = documentFromDto(required<{ document: DocumentDto }>(outcomes.document, 'crm.documentgenerator.document.add').document)
  const publicUrl = outcomes.public?.ok ? (outcomes.public.result as { publicUrl?: string | null }).publicUrl ?? null : null
  return { ...document, publicUrl: publicUrl ?? document.publicUrl }
}

/** What the create batch did: our invoice, the rows and document it got, and any invoice racing it. */
export interface CreatedInvoice {
  readonly invoiceId: number
  /** `accountNumber` the portal gave the invoice; empty when it numbers later. */
  readonly invoiceNumber: string
  /** Ids of all invoices with this key, ascending: more than one means another tab raced us. */
  readonly sameKeyIds: readonly number[]
  /** Why copying the rows failed; null when they were copied. */
  readonly rowsError: PortalError | null
  readonly document: IssuedDocument | null
  readonly documentError: PortalError | null
  /** The deal's sum (minor units) as the portal had it when the invoice was created; null when that read failed. */
  readonly dealAmountNow: Money | null
}

/** `crm.item.productrow.set` replaces the whole list and answers with it: fewer rows back than sent is a failure. */
function rowsError(outcome: BatchOutcome | undefined, plan: IssuePlan): PortalError | null {
  const error = errorOf(outcome, 'crm.item.productrow.set')
  if (error || !outcome?.ok)
    return error
  const written = (outcome.result as { productRows?: unknown[] } | null)?.productRows?.length ?? 0
  return written === plan.rows.length ? null : new PortalError('crm.item.productrow.set', 'INCOMPLETE_ROWS', `The invoice got ${written} of ${plan.rows.length} product rows`, 200, true)
}

/**
 * ONE halted round trip guarded against replays (`guardedBatch`): creates the invoice with its
 * idempotency key, lists the invoices carrying that key (so a race with another tab is seen at
 * once), copies the product rows and requests the document with a public link, then mints the
 * token for the send batch. Throws when the invoice itself was not created (`REPLAYED`: a replay
 * of this batch, which ran once already); the other parts are reported so the caller can resume them.
 */
export async function createInvoice(client: PortalClient, plan: IssuePlan, guard: ReplayGuard, attemptId: string | null = null): Promise<CreatedInvoice> {
  const outcomes = await guardedBatch(client, guard, {
    invoice: { method: 'crm.item.add', params: { entityTypeId: ENTITY.invoice, fields: invoiceFields(plan, attemptId) } },
    sameKey: { method: 'crm.item.list', params: { entityTypeId: ENTITY.invoice, filter: { '=xmlId': plan.invoice.key }, select: ['id'], order: { id: 'ASC' } } },
    rows: rowsCall(NEW_INVOICE, plan),
    ...documentCalls(NEW_INVOICE, plan.documentTemplateId),
    // Read with the write: was the deal re-priced after the manager saw the preview?
    dealNow: { method: 'crm.item.get', params: { entityTypeId: ENTITY.deal, id: plan.invoice.dealId } },
  }, { mintNext: true })
  const item = required<{ item: { id: number, accountNumber?: string | null } }>(outcomes.invoice, 'crm.item.add').item
  const invoiceId = Number(item.id)
  // Without the list we cannot see a racing tab here; the next read (retry, reload) still would.
  const listed = outcomes.sameKey?.ok ? (outcomes.sameKey.result as { items: Array<{ id: number }> }).items.map(row => Number(row.id)) : []
  const documentError = errorOf(outcomes.document, 'crm.documentgenerator.document.add')
  return {
    invoiceId,
    invoiceNumber: item.accountNumber ?? '',
    sameKeyIds: [...new Set([...listed, invoiceId])].sort((a, b) => a - b),
    rowsError: rowsError(outcomes.rows, plan),
    document: documentError ? null : documentOf(outcomes),
    documentError,
    dealAmountNow: outcomes.dealNow?.ok ? dealFromDto((outcomes.dealNow.result as { item: DealItemDto }).item).amount : null,
  }
}

/** Copies the plan's rows to an existing invoice (resuming after a failed create batch). */
export async function copyRows(client: PortalClient, invoiceId: number, plan: IssuePlan): Promise<void> {
  const call = rowsCall(invoiceId, plan)
  const result = await client.call<{ productRows?: unknown[] }>(call.method, call.params)
  const error = rowsError({ ok: true, result, total: 0 }, plan)
  if (error)
    throw error
}

/** Re-reads the invoice as it is now: before a resumed step, to see what changed in Bitrix24 meanwhile. */
export async function readInvoice(client: PortalClient, invoiceId: number): Promise<Invoice> {
  const result = await client.call<{ item: InvoiceItemDto }>('crm.item.get', { entityTypeId: ENTITY.invoice, id: invoiceId })
  return invoiceFromDto(result.item)
}

/** Creates the invoice's document and its public link in one guarded round trip (resume path). */
export async function createDocument(client: PortalClient, invoiceId: number, templateId: number, guard: ReplayGuard): Promise<IssuedDocument> {
  return documentOf(await guardedBatch(client, guard, documentCalls(invoiceId, templateId), { mintNext: true }))
}

/** Re-reads a document: `pdfUrl` appears once the portal's asynchronous conversion is done. */
export async function readDocument(client: PortalClient, documentId: number): Promise<IssuedDocument> {
  const result = await client.call<{ document: DocumentDto }>('crm.documentgenerator.document.get', { id: documentId })
  return documentFromDto(result.document)
}

/** Turns the public link on for an existing document (resume path); idempotent. */
export async function enablePublicUrl(client: PortalClient, documentId: number): Promise<string | null> {
  const result = await client.call<{ publicUrl?: string | null }>('crm.documentgenerator.document.enablepublicurl', { id: documentId, status: 1 })
  return result.publicUrl ?? null
}

/** Removes an invoice this tab created but lost to a concurrent one (and its document). */
export async function discardInvoice(client: PortalClient, invoiceId: number, documentId: number | null): Promise<void> {
  const outcomes = await client.batch({
    ...(documentId === null ? {} : { document: { method: 'crm.documentgenerator.document.delete', params: { id: documentId } } }),
    invoice: { method: 'crm.item.delete', params: { entityTypeId: ENTITY.invoice, id: invoiceId } },
  })
  required(outcomes.invoice, 'crm.item.delete')
}
