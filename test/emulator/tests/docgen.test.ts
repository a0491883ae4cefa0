// crm.documentgenerator.document.*: shapes, numbering, errors, asynchronous PDF conversion, files, public link.
import { beforeEach, describe, expect, it } from 'vitest'
import { buildPdf, transliterate } from '../docgen/pdf.ts'
import type { RunningEmulator } from '../server.ts'
import { sleep, useDemoPortal, type RestClient } from './rest-client.ts'

let emulator: RunningEmulator
let client: RestClient
/** Invoices of manager 2 and of manager 3 (managers see only their own). */
let invoiceOf2: number
let invoiceOf3: number

type Doc = Record<string, unknown>

async function addDocument(params: Record<string, unknown>, userId?: number): Promise<Doc> {
  const reply = userId === undefined
    ? await client.hook('crm.documentgenerator.document.add', params)
    : await client.app(userId, 'crm.documentgenerator.document.add', params)
  expect(reply.status, JSON.stringify(reply.body)).toBe(200)
  return (reply.body.result as { document: Doc }).document
}

/** The portal session a logged-in user's browser has: the shell pages set it. */
async function portalSession(): Promise<Record<string, string>> {
  const page = await fetch(`${emulator.url}/crm/deal/list/`)
  return { cookie: (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '' }
}

async function getDocument(id: unknown): Promise<Doc> {
  return ((await client.hook('crm.documentgenerator.document.get', { id })).body.result as { document: Doc }).document
}

useDemoPortal(portal => ({ emulator, client, invoiceOf2, invoiceOf3 } = portal))
beforeEach(async () => {
  await client.control('/emulator/docgen', { pdfDelayMs: 0, failNext: false })
})

describe('document.add', () => {
  it('answers { document } with the documented fields and casing', async () => {
    await client.control('/emulator/docgen', { pdfDelayMs: 60_000 })
    const document = await addDocument({ templateId: 11, entityTypeId: 31, entityId: invoiceOf2 })
    expect(document).toMatchObject({
      id: 1, title: 'Счёт на оплату 1', number: '1', createTime: '2026-03-15T10:00:00+03:00', createdBy: 1, updatedBy: null,
      templateId: '11', entityTypeId: '31', entityId: String(invoiceOf2), stampsEnabled: false, publicUrl: null,
      isTransformationError: false, pullTag: 'TRANSFORMDOCUMENT1', changeStampsEnabled: false, qrCodeEnabled: false,
      values: { productsTableVariant: '', _creationMethod: 'rest', stampsEnabled: false },
    })
    expect(document.downloadUrl).toBe(`${emulator.url}/bitrix/services/main/ajax.php?action=crm.documentgenerator.document.download&SITE_ID=s1&id=1`)
    expect(String(document.downloadUrlMachine)).toMatch(/\/rest\/crm\.documentgenerator\.document\.download\.json\?id=1&token=\w+$/)
    expect(typeof document.emailDiskFile).toBe('number')
    const rowsOf2 = emulator.state.productRows.filter(row => row.ownerType === 'SI' && row.ownerId === invoiceOf2)
    expect(document.products).toMatchObject({ currencyId: 'RUB', totalRows: rowsOf2.length })
    expect(document).not.toHaveProperty('pdfUrl')
    expect(document).not.toHaveProperty('imageUrl')
  })

  it('numbers per template numerator; values.DocumentNumber overrides; stamps only where the template has them', async () => {
    expect((await addDocument({ templateId: 11, entityTypeId: 31, entityId: invoiceOf2 })).number).toBe('1')
    expect((await addDocument({ templateId: 11, entityTypeId: 31, entityId: invoiceOf2 })).number).toBe('2')
    expect((await addDocument({ templateId: 12, entityTypeId: 31, entityId: invoiceOf2 })).number).toBe('1')
    const custom = await addDocument({ templateId: 11, entityTypeId: 31, entityId: invoiceOf2, values: { DocumentNumber: '2026-001' } })
    expect([custom.number, custom.title, (custom.values as Doc).DocumentNumber]).toEqual(['2026-001', 'Счёт на оплату 2026-001', '2026-001'])
    const stamped = await addDocument({ templateId: 13, entityTypeId: 31, entityId: invoiceOf2, stampsEnabled: 1 })
    expect([stamped.stampsEnabled, stamped.changeStampsEnabled]).toEqual([true, true])
  })

  it('documented errors: HTTP 400 with codes 100, 0 and DOCGEN_ACCESS_ERROR', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ entityTypeId: 31, entityId: invoiceOf2 }, '100', 'Bitrix\\DocumentGenerator\\Template constructor must be is public'],
      [{ templateId: 999, entityTypeId: 31, entityId: invoiceOf2 }, '0', 'Template not found'],
      [{ templateId: 14, entityTypeId: 31, entityId: invoiceOf2 }, '0', 'Cannot create document on deleted template'],
      [{ templateId: 11, entityTypeId: 1, entityId: 1 }, '0', 'No provider for entityTypeId'],
      [{ templateId: 11, entityTypeId: 31 }, '0', 'Empty required parameter "value"'],
      [{ templateId: 11, entityTypeId: 31, entityId: 999_999 }, '0', 'Cannot create document'],
    ]
    for (const [params, code, description] of cases) {
      const reply = await client.hook('crm.documentgenerator.document.add', params)
      expect([reply.status, reply.body.error, reply.body.error_description]).toEqual([400, code, description])
    }
    const denied = await client.app(2, 'crm.documentgenerator.document.add', { templateId: 11, entityTypeId: 31, entityId: invoiceOf3 })
    expect([denied.status, denied.body.error, denied.body.error_description]).toEqual([400, 'DOCGEN_ACCESS_ERROR', 'Access denied'])
    expect((await client.app(2, 'crm.documentgenerator.document.add', { templateId: 11, entityTypeId: 31, entityId: invoiceOf2 })).status).toBe(200)
  })
})

describe('asynchronous PDF conversion and files', () => {
  it('pdfUrl/imageUrl appear on get only after pdfDelayMs; the PDF is real and names the invoice', async () => {
    const headers = await portalSession()
    await client.control('/emulator/docgen', { pdfDelayMs: 150 })
    const created = await addDocument({ templateId: 11, entityTypeId: 31, entityId: invoiceOf2 })
    const pending = await getDocument(created.id)
    expect([pending.id, pending.createdBy, pending.pdfUrl, pending.imageUrl]).toEqual([String(created.id), '1', '', ''])
    expect(pending).not.toHaveProperty('pdfUrlMachine')
    expect((await fetch(`${emulator.url}/bitrix/services/main/ajax.php?action=crm.documentgenerator.document.getPdf&SITE_ID=s1&id=${String(created.id)}`, { headers })).status).toBe(404)
    await sleep(200)
    const ready = await getDocument(created.id)
    expect(ready.pdfUrl).toBe(`${emulator.url}/bitrix/services/main/ajax.php?action=crm.documentgenerator.document.getPdf&SITE_ID=s1&id=${String(created.id)}`)
    expect(String(ready.imageUrl)).toContain('action=crm.documentgenerator.document.getImage')
    const anonymous = await fetch(String(ready.pdfUrl))
    expect([anonymous.status, anonymous.headers.get('content-type')]).toEqual([401, 'text/html; charset=utf-8'])
    const pdf = await fetch(String(ready.pdfUrl), { headers })
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf'])
    const text = Buffer.from(await pdf.arrayBuffer()).toString('latin1')
    const invoice = emulator.state.entities[31].byId.get(invoiceOf2) ?? { accountNumber: '' }
    expect(text.startsWith('%PDF-1.4')).toBe(true)
    expect(text).toContain(transliterate(String(invoice.accountNumber)))
    expect(text).toContain('Document No. 1 dated 15.03.2026')
    const total = Number(emulator.state.entities[31].byId.get(invoiceOf2)!.opportunity)
    const grouped = total.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')
    expect(text).toContain(`Total: ${grouped} RUB`)
    expect((await fetch(String(ready.imageUrl), { headers })).headers.get('content-type')).toBe('image/png')
    expect((await fetch(String(ready.imageUrl))).status).toBe(401)
    expect((await fetch(String(ready.pdfUrlMachine))).status).toBe(200)
    expect((await fetch(String(ready.pdfUrlMachine).replace(/token=\w+/, 'token=bad'))).status).toBe(404)
    expect((await fetch(String(ready.downloadUrl))).status).toBe(401)
    const download = await fetch(String(ready.downloadUrl), { headers })
    expect([download.status, download.headers.get('content-disposition')]).toEqual([200, 'attachment; filename="Schet_na_oplatu_1.pdf"'])
  })

  it('POST /emulator/docgen failNext makes the next conversion fail, once', async () => {
    const settings = await client.control('/emulator/docgen', { pdfDelayMs: 0, failNext: true })
    expect(settings.body).toEqual({ pdfDelayMs: 0, failNext: true })
    const failed = await getDocument((await addDocument({ templateId: 11, entityTypeId: 31, entityId: invoiceOf2 })).id)
    expect(failed).toMatchObject({ isTransformationError: true, transformationErrorMessage: 'Document conversion failed', pdfUrl: '' })
    const next = await getDocument((await addDocument({ templateId: 11, entityTypeId: 31, entityId: invoiceOf2 })).id)
    expect(next.isTransformationError).toBe(false)
    expect(String(next.pdfUrl)).toContain('getPdf')
    expect((await client.control('/emulator/docgen')).body).toEqual({ pdfDelayMs: 0, failNext: false })
    expect((await client.control('/emulator/docgen', { pdfDelayMs: -1 })).status).toBe(400)
  })

  it('the hand-written PDF has a byte-exact xref table', () => {
    const text = buildPdf('Счёт (1)', ['Счёт № 5 «Ромашка»', 'a \\ b']).toString('latin1')
    const xrefAt = Number(/startxref\n(\d+)/.exec(text)?.[1])
    expect(text.slice(xrefAt, xrefAt + 4)).toBe('xref')
    const offsets = [...text.slice(xrefAt).matchAll(/^(\d{10}) 00000 n $/gm)].map(match => Number(match[1]))
    expect(offsets).toHaveLength(6)
    offsets.forEach((offset, index) => expect(text.slice(offset, offset + 8)).toBe(`${index + 1} 0 obj\n`))
    expect(text).toContain('(Schet No. 5 "Romashka") Tj')
    expect(text).toContain('/Title (Schet \\(1\\))')
  })
})

describe('get, list, enablepublicurl, delete', () => {
  it('get errors: 100 without id, 0 Document not found, DOCGEN_ACCESS_ERROR for a foreign invoice', async () => {
    const document = await addDocument({ templateId: 11, entityTypeId: 31, entityId: invoiceOf3 })
    expect((await client.hook('crm.documentgenerator.document.get', {})).body.error).toBe('100')
    const missing = await client.hook('crm.documentgenerator.document.get', { id: 999 })
    expect([missing.status, missing.body.error, missing.body.error_description]).toEqual([400, '0', 'Document not found'])
    const denied = await client.app(2, 'crm.documentgenerator.document.get', { id: document.id })
    expect([denied.status, denied.body.error]).toEqual([400, 'DOCGEN_ACCESS_ERROR'])
  })

  it('list: { documents } filtered by entity, newest first, only readable items for managers', async () => {
    await addDocument({ templateId: 11, entityTypeId: 31, entityId: invoiceOf2 })
    await addDocument({ templateId: 12, entityTypeId: 31, entityId: invoiceOf2 })
    await addDocument({ templateId: 11, entityTypeId: 31, entityId: invoiceOf3 })
    const all = await client.hook('crm.documentgenerator.document.list', { filter: { entityTypeId: 31, entityId: invoiceOf2 } })
    const documents = (all.body.result as { documents: Doc[] }).documents
    expect(documents.map(document => document.id)).toEqual(['2', '1'])
    expect(all.body.total).toBe(2)
    expect(documents[0]).toMatchObject({ templateId: '12', entityTypeId: '31', entityId: String(invoiceOf2), fileId: expect.any(String) as unknown })
    const mine = await client.app(2, 'crm.documentgenerator.document.list', {})
    expect((mine.body.result as { documents: Doc[] }).documents.map(document => document.id)).toEqual(['2', '1'])
    const foreign = await client.app(2, 'crm.documentgenerator.document.list', { filter: { entityTypeId: 31, entityId: invoiceOf3 } })
    expect([foreign.status, foreign.body.error]).toEqual([400, 'ACCESS_DENIED'])
  })

  it('enablepublicurl gives <origin>/~code served as a page, status 0 takes it back', async () => {
    const document = await addDocument({ templateId: 11, entityTypeId: 31, entityId: invoiceOf2 })
    const enabled = await client.hook('crm.documentgenerator.document.enablepublicurl', { id: document.id, status: 1 })
    const publicUrl = String((enabled.body.result as { publicUrl: string }).publicUrl)
    expect(publicUrl).toMatch(new RegExp(`^${emulator.url.replace(/\./g, '\\.')}/~[a-z0-9]{5}$`))
    expect((await getDocument(document.id)).publicUrl).toBe(publicUrl)
    const page = await fetch(publicUrl)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Счёт на оплату 1')
    expect((await fetch(`${publicUrl}/document.pdf`)).status).toBe(200)
    const disabled = await client.hook('crm.documentgenerator.document.enablepublicurl', { id: document.id, status: 0 })
    expect(disabled.body.result).toEqual({ publicUrl: null })
    expect((await fetch(publicUrl)).status).toBe(404)
  })

  it('delete answers null, then the document is gone', async () => {
    const document = await addDocument({ templateId: 11, entityTypeId: 31, entityId: invoiceOf2 })
    const deleted = await client.hook('crm.documentgenerator.document.delete', { id: document.id })
    expect([deleted.status, deleted.body.result]).toEqual([200, null])
    expect((await client.hook('crm.documentgenerator.document.delete', { id: document.id })).body.error_description).toBe('Document not found')
  })
})
