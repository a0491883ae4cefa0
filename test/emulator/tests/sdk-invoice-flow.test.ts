// SDK fidelity for "issue and send an invoice": the real @bitrix24/b24jssdk B24Hook over https creates a document,
// polls until the PDF is converted, downloads it, e-mails it with crm.activity.add, and meets one documented error
// of every method family.
import { readFile } from 'node:fs/promises'
import https from 'node:https'
import { AjaxError, ApiVersion, B24Hook } from '@bitrix24/b24jssdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../server.ts'
import { sleep } from './rest-client.ts'

let emulator: RunningEmulator
let hook: B24Hook
let ca: string
let invoiceId: number

interface DocumentResult { document: { id: number | string, number: string, pdfUrl?: string, pdfUrlMachine?: string, emailDiskFile: number, title: string } }

beforeAll(async () => {
  emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 200 })
  ca = await readFile(emulator.caCertPath ?? '', 'utf8')
  hook = B24Hook.fromWebhookUrl(emulator.webhookUrl, { restrictionParams: { maxRetries: 1 } })
  hook.offClientSideWarning()
  for (const version of [ApiVersion.v2, ApiVersion.v3]) hook.getHttpClient(version).ajaxClient.defaults.httpsAgent = new https.Agent({ ca })
  invoiceId = emulator.state.entities[31].items[0]?.id ?? 0
})
afterAll(() => emulator.close())

function download(url: string): Promise<{ status: number, body: Buffer }> {
  return new Promise((resolve, reject) => {
    https.get(url, { ca }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }))
    }).on('error', reject)
  })
}

async function failure(method: string, params: Record<string, unknown>): Promise<AjaxError> {
  const caught = await hook.actions.v2.call.make({ method, params }).then(() => null, (error: unknown) => error)
  expect(caught, method).toBeInstanceOf(AjaxError)
  return caught as AjaxError
}

describe('issue and send an invoice through B24Hook', () => {
  it('document.add → poll document.get until pdfUrl → PDF download (…Machine link) → crm.activity.add e-mail with FILES in the outbox', async () => {
    const added = await hook.actions.v2.call.make<DocumentResult>({
      method: 'crm.documentgenerator.document.add', params: { templateId: 11, entityTypeId: 31, entityId: invoiceId },
    })
    const created = added.getData()?.result.document
    expect(created?.pdfUrl).toBeUndefined()
    let pdfUrl: string | undefined
    let machineUrl: string | undefined
    for (let attempt = 0; attempt < 40 && !pdfUrl; attempt++) {
      const got = await hook.actions.v2.call.make<DocumentResult>({ method: 'crm.documentgenerator.document.get', params: { id: created?.id } })
      pdfUrl = got.getData()?.result.document.pdfUrl || undefined
      machineUrl = got.getData()?.result.document.pdfUrlMachine
      if (!pdfUrl) await sleep(50)
    }
    expect(pdfUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/bitrix\/services\/main\/ajax\.php\?action=crm\.documentgenerator\.document\.getPdf/)
    // pdfUrl is a portal page for a logged-in user: a machine without the session gets the login page.
    expect((await download(pdfUrl ?? '')).status).toBe(401)
    const pdf = await download(machineUrl ?? '')
    expect(pdf.status).toBe(200)
    expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-')

    const sent = await hook.actions.v2.call.make<number>({
      method: 'crm.activity.add',
      params: { fields: {
        OWNER_TYPE_ID: 31, OWNER_ID: invoiceId, TYPE_ID: 4, DIRECTION: 2, COMPLETED: 'Y', RESPONSIBLE_ID: 1,
        SUBJECT: `Счёт № ${created?.number ?? ''}`, DESCRIPTION: 'Счёт во вложении', DESCRIPTION_TYPE: 3,
        COMMUNICATIONS: [{ VALUE: 'client@example.com', ENTITY_ID: 1, ENTITY_TYPE_ID: 3 }],
        FILES: [{ fileData: ['invoice.pdf', pdf.body.toString('base64')] }],
        STORAGE_ELEMENT_IDS: [created?.emailDiskFile],
      } },
    })
    const activityId = sent.getData()?.result
    expect(typeof activityId).toBe('number')
    const outbox = JSON.parse((await download(`${emulator.url}/emulator/journal?kind=outbox`)).body.toString('utf8')) as { details: Record<string, unknown> }[]
    const entry = outbox.find(item => item.details.activityId === activityId)
    // STORAGE_ELEMENT_IDS is not a documented way to attach on add: only FILES reaches the client.
    expect(entry?.details).toMatchObject({ to: ['client@example.com'], owner: { typeId: 31, id: invoiceId }, files: [{ name: 'invoice.pdf', size: pdf.body.length, head: '%PDF-1.4' }] })
    expect((entry?.details.files as unknown[]).length).toBe(1)
  })

  it('one documented error per method family reaches the SDK as AjaxError with HTTP 400', async () => {
    // `error: "0"`: the SDK keeps the text but reports axios' code (`ERR_BAD_REQUEST`, as this test shows; R: error-codes.md).
    const docgen = await failure('crm.documentgenerator.document.add', { templateId: 999, entityTypeId: 31, entityId: invoiceId })
    expect([docgen.status, docgen.code, docgen.message]).toEqual([400, 'ERR_BAD_REQUEST', expect.stringContaining('Template not found') as unknown])
    // crm.activity.add answers `error: ""`: the SDK then reports axios' code and message, the text stays in the raw body.
    const activity = await failure('crm.activity.add', { fields: { OWNER_TYPE_ID: 31, OWNER_ID: invoiceId, TYPE_ID: 4, SUBJECT: '', RESPONSIBLE_ID: 1, COMMUNICATIONS: [{ VALUE: 'a@b.cd' }] } })
    expect([activity.status, activity.code, activity.message]).toEqual([400, 'ERR_BAD_REQUEST', 'Request failed with status code 400'])
    const raw = (activity as unknown as { originalError: { response: { data: Record<string, unknown> } } }).originalError.response.data
    expect(raw).toEqual({ error: '', error_description: 'The field SUBJECT is not defined or empty' })
    const timeline = await failure('crm.timeline.logmessage.add', { fields: { entityTypeId: 31, entityId: 999_999, title: 't', text: 't', iconCode: 'info' } })
    expect([timeline.status, timeline.code]).toEqual([400, 'OWNER_NOT_FOUND'])
    const notify = await failure('im.notify.system.add', { MESSAGE: 'x' })
    expect([notify.status, notify.code]).toEqual([400, 'USER_ID_EMPTY'])
    const task = await failure('tasks.task.add', { fields: { RESPONSIBLE_ID: 1 } })
    expect([task.status, task.code]).toEqual([400, 'ERROR_CORE'])
    const payment = await failure('crm.item.payment.add', { entityTypeId: 31, entityId: 13_123_000 })
    expect([payment.status, payment.message]).toEqual([400, expect.stringContaining('does not exist') as unknown])
    const trigger = await failure('crm.automation.trigger.execute', { CODE: 'invoice_sent', OWNER_TYPE_ID: 31, OWNER_ID: invoiceId })
    expect([trigger.status, trigger.code, trigger.message]).toEqual([400, 'ACCESS_DENIED', expect.stringContaining('Application context required') as unknown])
  })
})
