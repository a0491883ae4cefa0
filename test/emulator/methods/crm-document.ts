/**
 * crm.documentgenerator.document.add/get/list/enablepublicurl/delete
 * (R: api-reference/crm/document-generator/documents/*.md).
 * - Every documented failure is HTTP 400; codes `0`, `100`, `DOCGEN_ACCESS_ERROR` exactly as the pages list them.
 * - add answers `id`/`createdBy` as numbers and `templateId`/`entityTypeId`/`entityId` as strings; get and list
 *   answer every id as a string (both as the pages' examples show).
 * - PDF conversion is asynchronous: `pdfUrl`/`imageUrl` are missing from `add` and empty strings on `get`/`list`
 *   until `docgen.pdfDelayMs` of real time has passed (R: document-add.md / document-get.md notes).
 * - The number comes from a per-template numerator (1, 2, 3…), unless `values.DocumentNumber` is given
 *   (R: document-add.md example: values.DocumentNumber "2026-001" → number "2026-001"); title = template name + number.
 * The files are served by ../docgen/docgen-http.ts.
 */
import { createHash } from 'node:crypto'
import { formatPortalDateTime } from '../core/portal-time.ts'
import { invoiceFlow, type GeneratedDocument } from '../data/invoice-flow-state.ts'
import type { BuiltInEntityTypeId, CrmItem, PortalState } from '../data/portal-state.ts'
import { runListQuery, type Row } from '../rest/list-query.ts'
import type { CallContext, MethodDefinition, Params } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'
import { canRead, canWrite } from './crm-permissions.ts'
import { clientName, crmTypeOf, findOwner, isBlank, isObject, ROW_OWNER_TYPE } from './crm-owner.ts'

const fail = (code: string, description: string): RestError => new RestError(400, code, description)
const errors = {
  templateConstructor: () => fail('100', 'Bitrix\\DocumentGenerator\\Template constructor must be is public'),
  documentConstructor: () => fail('100', 'Bitrix\\DocumentGenerator\\Document constructor must be is public'),
  templateNotFound: () => fail('0', 'Template not found'),
  deletedTemplate: () => fail('0', 'Cannot create document on deleted template'),
  noProvider: () => fail('0', 'No provider for entityTypeId'),
  emptyValue: () => fail('0', 'Empty required parameter "value"'),
  cannotCreate: () => fail('0', 'Cannot create document'),
  notFound: () => fail('0', 'Document not found'),
  access: () => fail('DOCGEN_ACCESS_ERROR', 'Access denied'),
}

/** Templates that carry a stamp and a signature (the demo's "с печатью и подписью" one). */
const withStamps = (templateName: string): boolean => /печат|stamp/i.test(templateName)

export const TRANSFORMATION_ERROR = { message: 'Document conversion failed', code: 'TRANSFORM_ERROR' }

export type ConversionState = 'pending' | 'done' | 'failed'

export function conversionState(document: GeneratedDocument, nowMs = Date.now()): ConversionState {
  if (nowMs < document.readyAtMs) return 'pending'
  return document.failConversion ? 'failed' : 'done'
}

const money = (value: number): string => value.toFixed(2)
const spaced = (value: number): string => value.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')

function ownerLabel(entityTypeId: BuiltInEntityTypeId, item: CrmItem): string {
  if (entityTypeId === 31) return `Invoice ${String(item.accountNumber ?? item.id)} (${String(item.title ?? '')})`
  if (entityTypeId === 2) return `Deal #${item.id} (${String(item.title ?? '')})`
  return `${entityTypeId === 3 ? 'Contact' : 'Company'} #${item.id}`
}

/** The document's text, frozen at creation: number, date, client, sum and product rows of the item. */
function documentLines(state: PortalState, title: string, number: string, created: string, entityTypeId: BuiltInEntityTypeId, item: CrmItem, stamps: boolean): { lines: string[], products: GeneratedDocument['products'] } {
  const rows = state.productRows.filter(row => row.ownerType === ROW_OWNER_TYPE[entityTypeId] && row.ownerId === item.id)
  const currency = String(item.currencyId ?? 'RUB')
  const total = rows.reduce((sum, row) => sum + row.price * row.quantity, 0)
  const date = created.slice(0, 10).split('-').reverse().join('.')
  const lines = [
    title,
    `Document No. ${number} dated ${date}`,
    ownerLabel(entityTypeId, item),
    `Client: ${clientName(state, entityTypeId, item)}`,
    `Sum: ${spaced(entityTypeId === 31 || entityTypeId === 2 ? Number(item.opportunity ?? total) : total)} ${currency}`,
    '',
    rows.length > 0 ? 'No.  Product  |  Qty  |  Price  |  Amount' : 'No products',
    ...rows.map((row, index) => `${index + 1}. ${row.productName}  |  ${row.quantity} ${row.measureName}  |  ${spaced(row.price)}  |  ${spaced(row.price * row.quantity)}`),
    '',
    `Total: ${spaced(total)} ${currency}`,
    stamps ? 'Stamp and signature: included' : '',
  ].filter((line, index, all) => line !== '' || (index > 0 && index < all.length - 1 && all[index - 1] !== ''))
  return { lines, products: { currencyId: currency, totalSum: money(total), totalRows: rows.length } }
}

/** Deterministic short code of the public link (`/~71q5j` style). */
function publicCode(document: GeneratedDocument): string {
  return createHash('sha1').update(`public:${document.id}:${document.fileToken}`).digest('hex').slice(0, 5)
}

function links(origin: string, document: GeneratedDocument): Record<string, string> {
  const ajax = (action: string): string => `${origin}/bitrix/services/main/ajax.php?action=crm.documentgenerator.document.${action}&SITE_ID=s1&id=${document.id}`
  const machine = (method: string): string => `${origin}/rest/crm.documentgenerator.document.${method}.json?id=${document.id}&token=${document.fileToken}`
  return {
    downloadUrl: ajax('download'), downloadUrlMachine: machine('download'),
    pdfUrl: ajax('getPdf'), pdfUrlMachine: machine('getPdf'),
    imageUrl: ajax('getImage'), imageUrlMachine: machine('getImage'),
  }
}

function stampsInfo(document: GeneratedDocument): Record<string, unknown> {
  return {
    changeStampsEnabled: document.changeStampsEnabled,
    changeStampsDisabledReason: document.changeStampsEnabled ? '' : 'The template is missing seals and signatures',
    changeQrCodeEnabled: false,
    qrCodeEnabled: false,
    changeQrCodeDisabledReason: 'The template is missing a QR code',
  }
}

function conversionFields(document: GeneratedDocument, url: Record<string, string>, pendingAs: 'absent' | 'empty'): Record<string, unknown> {
  const state = conversionState(document)
  if (state === 'done') return { isTransformationError: false, imageUrl: url.imageUrl, pdfUrl: url.pdfUrl }
  const pending = pendingAs === 'empty' ? { imageUrl: '', pdfUrl: '' } : {}
  if (state === 'pending') return { isTransformationError: false, ...pending }
  return { isTransformationError: true, transformationErrorMessage: TRANSFORMATION_ERROR.message, transformationErrorCode: TRANSFORMATION_ERROR.code, ...pending }
}

function publicUrl(origin: string, document: GeneratedDocument): string | null {
  return document.publicCode === null ? null : `${origin}/~${document.publicCode}`
}

/** `document` of crm.documentgenerator.document.add (R: document-add.md response). */
function addView(origin: string, document: GeneratedDocument): Record<string, unknown> {
  const url = links(origin, document)
  return {
    ...stampsInfo(document),
    products: { ...document.products },
    downloadUrl: url.downloadUrl,
    downloadUrlMachine: url.downloadUrlMachine,
    publicUrl: publicUrl(origin, document),
    id: document.id,
    title: document.title,
    number: document.number,
    createTime: document.createTime,
    createdBy: document.createdBy,
    updateTime: document.updateTime,
    updatedBy: document.updatedBy,
    stampsEnabled: document.stampsEnabled,
    ...conversionFields(document, url, 'absent'),
    values: { ...document.values },
    templateId: document.templateId,
    pullTag: `TRANSFORMDOCUMENT${document.id}`,
    emailDiskFile: document.emailDiskFile,
    entityId: String(document.entityId),
    entityTypeId: String(document.entityTypeId),
  }
}

/** `document` of crm.documentgenerator.document.get (R: document-get.md response). */
export function getView(origin: string, document: GeneratedDocument): Record<string, unknown> {
  const url = links(origin, document)
  const converted = conversionState(document) === 'done'
  return {
    ...stampsInfo(document),
    products: { ...document.products },
    downloadUrl: url.downloadUrl,
    publicUrl: publicUrl(origin, document),
    title: document.title,
    number: document.number,
    id: String(document.id),
    createTime: document.createTime,
    createdBy: String(document.createdBy),
    updateTime: document.updateTime,
    updatedBy: document.updatedBy === null ? null : String(document.updatedBy),
    stampsEnabled: document.stampsEnabled,
    ...conversionFields(document, url, 'empty'),
    values: { ...document.values },
    templateId: document.templateId,
    pullTag: `TRANSFORMDOCUMENT${document.id}`,
    emailDiskFile: document.emailDiskFile,
    entityId: String(document.entityId),
    entityTypeId: String(document.entityTypeId),
    downloadUrlMachine: url.downloadUrlMachine,
    ...(converted ? { imageUrlMachine: url.imageUrlMachine, pdfUrlMachine: url.pdfUrlMachine } : {}),
  }
}

/** A crm.documentgenerator.document.list row (R: document-list.md response). */
function listView(origin: string, document: GeneratedDocument): Row {
  const url = links(origin, document)
  const converted = conversionState(document) === 'done'
  return {
    id: String(document.id),
    title: document.title,
    number: document.number,
    templateId: document.templateId,
    fileId: String(document.fileId),
    imageId: converted ? String(document.imageId) : null,
    pdfId: converted ? String(document.pdfId) : null,
    createTime: document.createTime,
    updateTime: document.updateTime,
    values: { ...document.values },
    createdBy: String(document.createdBy),
    updatedBy: document.updatedBy === null ? null : String(document.updatedBy),
    downloadUrl: url.downloadUrl,
    pdfUrl: converted ? url.pdfUrl : '',
    imageUrl: converted ? url.imageUrl : '',
    stampsEnabled: document.stampsEnabled,
    entityId: String(document.entityId),
    entityTypeId: String(document.entityTypeId),
    downloadUrlMachine: url.downloadUrlMachine,
    ...(converted ? { pdfUrlMachine: url.pdfUrlMachine, imageUrlMachine: url.imageUrlMachine } : {}),
  }
}

function requireDocument(params: Params, ctx: CallContext, access: 'read' | 'write'): GeneratedDocument {
  if (isBlank(params.id)) throw errors.documentConstructor()
  const document = invoiceFlow(ctx.state).documents.find(entry => entry.id === Number(params.id))
  if (!document) throw errors.notFound()
  const type = crmTypeOf(document.entityTypeId)
  const owner = type === null ? undefined : findOwner(ctx.state, type, document.entityId)
  if (type !== null && owner) {
    const allowed = access === 'read' ? canRead(ctx, type, owner) : canWrite(ctx, type, owner)
    if (!allowed) throw errors.access()
  }
  return document
}

/** Provider-backed types; other CRM types (leads, quotes, SPAs) are not emulated. */
const PROVIDER_TYPES = new Set([2, 3, 4, 31])

const add: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    if (isBlank(params.templateId)) throw errors.templateConstructor()
    const template = ctx.state.documentTemplates.find(entry => entry.id === String(params.templateId))
    if (!template) throw errors.templateNotFound()
    if (template.isDeleted === 'Y') throw errors.deletedTemplate()
    const entityTypeId = crmTypeOf(params.entityTypeId)
    if (entityTypeId === null || !PROVIDER_TYPES.has(entityTypeId)) throw errors.noProvider()
    if (isBlank(params.entityId) || Number(params.entityId) === 0) throw errors.emptyValue()
    const item = findOwner(ctx.state, entityTypeId, params.entityId)
    if (!item) throw errors.cannotCreate()
    if (!canRead(ctx, entityTypeId, item)) throw errors.access()

    const flow = invoiceFlow(ctx.state)
    const values = isObject(params.values) ? params.values : {}
    const stampsEnabled = params.stampsEnabled === true || Number(params.stampsEnabled) === 1 || params.stampsEnabled === 'Y'
    let number: string
    if (isBlank(values.DocumentNumber)) {
      const next = flow.numerators.get(template.id) ?? 1
      flow.numerators.set(template.id, next + 1)
      number = String(next)
    }
    else {
      number = String(values.DocumentNumber)
    }
    const created = formatPortalDateTime(ctx.now)
    const title = `${template.name} ${number}`
    const stamps = withStamps(template.name)
    const { lines, products } = documentLines(ctx.state, title, number, created, entityTypeId, item, stamps && stampsEnabled)
    const id = flow.nextDocumentId++
    const fileId = flow.nextDiskFileId
    flow.nextDiskFileId += 4
    const document: GeneratedDocument = {
      id, templateId: template.id, entityTypeId, entityId: item.id, title, number, createTime: created, updateTime: created,
      createdBy: ctx.userId, updatedBy: null,
      values: { productsTableVariant: '', _creationMethod: 'rest', stampsEnabled, ...values },
      stampsEnabled, changeStampsEnabled: stamps, products,
      fileId, imageId: fileId + 1, pdfId: fileId + 2, emailDiskFile: fileId + 3,
      fileToken: createHash('sha1').update(`doc:${id}:${ctx.now}:${template.id}`).digest('hex').slice(0, 16),
      readyAtMs: Date.now() + Math.max(0, ctx.docgen.pdfDelayMs), failConversion: ctx.docgen.failNext,
      publicCode: null, lines,
    }
    ctx.docgen.failNext = false
    flow.documents.push(document)
    return { result: { document: addView(ctx.origin, document) }, rowsTouched: 1 + products.totalRows }
  },
}

const get: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const document = requireDocument(params, ctx, 'read')
    return { result: { document: getView(ctx.origin, document) } }
  },
}

const list: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const filter = isObject(params.filter) ? params.filter : {}
    const filterType = crmTypeOf(filter.entityTypeId ?? filter['=entityTypeId'])
    const filterOwner = filterType === null ? undefined : findOwner(ctx.state, filterType, filter.entityId ?? filter['=entityId'])
    if (filterType !== null && filterOwner && !canRead(ctx, filterType, filterOwner)) throw fail('ACCESS_DENIED', 'Access denied')
    const readable = invoiceFlow(ctx.state).documents.filter((document) => {
      const type = crmTypeOf(document.entityTypeId)
      const owner = type === null ? undefined : findOwner(ctx.state, type, document.entityId)
      return type !== null && owner !== undefined && canRead(ctx, type, owner)
    })
    const rows = readable.map(document => listView(ctx.origin, document))
    const order = isObject(params.order) && Object.keys(params.order).length > 0 ? params.order : { id: 'DESC' }
    const page = runListQuery(rows, { filter, order, start: params.start })
    const select = Array.isArray(params.select) ? params.select.map(String) : []
    const documents = select.length === 0 || select.includes('*')
      ? page.rows
      : page.rows.map(row => Object.fromEntries(Object.entries(row).filter(([key]) => select.includes(key))))
    return { result: { documents }, total: page.total, ...(page.next === undefined ? {} : { next: page.next }), rowsTouched: page.scanned }
  },
}

const enablePublicUrl: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const document = requireDocument(params, ctx, 'write')
    const status = params.status === undefined || params.status === null || params.status === '' ? 1 : Number(params.status)
    document.publicCode = status === 0 ? null : publicCode(document)
    return { result: { publicUrl: publicUrl(ctx.origin, document) } }
  },
}

const remove: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const document = requireDocument(params, ctx, 'write')
    const flow = invoiceFlow(ctx.state)
    flow.documents.splice(flow.documents.indexOf(document), 1)
    return { result: null }
  },
}

export const crmDocumentMethods: Record<string, MethodDefinition> = {
  'crm.documentgenerator.document.add': add,
  'crm.documentgenerator.document.get': get,
  'crm.documentgenerator.document.list': list,
  'crm.documentgenerator.document.enablepublicurl': enablePublicUrl,
  'crm.documentgenerator.document.delete': remove,
}
