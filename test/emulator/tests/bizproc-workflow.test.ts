// bizproc.workflow.template.list/start/instances/terminate as documented, the approval control API and the SDK's webhook client.
import type { DemoPortal } from './rest-client.ts'
import { readFile } from 'node:fs/promises'
import https from 'node:https'
import { AjaxError, ApiVersion, B24Hook } from '@bitrix24/b24jssdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../server.ts'
import { useDemoPortal } from './rest-client.ts'

const SMART_INVOICE = 'Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice'

let portal: DemoPortal
// The webhook here is an administrator's with `bizproc` ticked, as the README tells the runner's to be.
const WEBHOOK_SCOPES = ['crm', 'im', 'task', 'user_basic', 'bizproc']
useDemoPortal((ready) => {
  portal = ready
}, { webhookScopes: WEBHOOK_SCOPES })

const dealId = () => portal.emulator.state.entities[2].items[0]!.id
const invoiceId = () => portal.emulator.state.entities[31].items[0]!.id

describe('bizproc.workflow.template.list', () => {
  it('lists ID only by default, 50 a page with total, sorted by ID', async () => {
    const reply = await portal.client.hook('bizproc.workflow.template.list')
    expect(reply.status).toBe(200)
    expect(reply.body.result).toEqual([{ ID: '1' }, { ID: '2' }, { ID: '3' }, { ID: '4' }])
    expect(reply.body.total).toBe(4)
    expect(reply.body.next).toBeUndefined()
  })

  it('selects, filters by document type (any case) and orders', async () => {
    const reply = await portal.client.hook('bizproc.workflow.template.list', {
      select: ['ID', 'NAME', 'ENTITY', 'DOCUMENT_TYPE'],
      filter: { module_id: 'crm', DOCUMENT_TYPE: 'DEAL' },
      order: { ID: 'DESC' },
    })
    expect(reply.body.result).toEqual([
      { ID: '2', NAME: 'Закрывающие документы после оплаты', ENTITY: 'CCrmDocumentDeal', DOCUMENT_TYPE: 'DEAL' },
      { ID: '1', NAME: 'Согласование счёта', ENTITY: 'CCrmDocumentDeal', DOCUMENT_TYPE: 'DEAL' },
    ])
    const invoices = await portal.client.hook('bizproc.workflow.template.list', { SELECT: ['ID', 'NAME'], FILTER: { ENTITY: SMART_INVOICE } })
    expect(invoices.body.result).toEqual([{ ID: '3', NAME: 'Контроль оплаты' }])
  })

  it('refuses a non-admin with HTTP 400 ACCESS_DENIED', async () => {
    const reply = await portal.client.app(2, 'bizproc.workflow.template.list')
    expect(reply).toEqual({ status: 400, body: { error: 'ACCESS_DENIED', error_description: 'Access denied!' } })
  })
})

describe('bizproc.workflow.start', () => {
  it('starts a template that finishes at once: a workflow id, journaled, never listed as running', async () => {
    const reply = await portal.client.app(1, 'bizproc.workflow.start', { TEMPLATE_ID: 3, DOCUMENT_ID: ['crm', SMART_INVOICE, `SMART_INVOICE_${invoiceId()}`], PARAMETERS: {} })
    expect(reply.status).toBe(200)
    expect(reply.body.result).toMatch(/^[0-9a-f]{14}\.\d{8}$/)
    const [entry] = await portal.client.journal('workflows')
    expect(entry).toMatchObject({ title: 'Контроль оплаты', details: { workflowId: reply.body.result, templateId: 3, status: 'completed', documentId: ['crm', SMART_INVOICE, `SMART_INVOICE_${invoiceId()}`] } })
    expect((await portal.client.hook('bizproc.workflow.instances')).body.result).toEqual([])
  })

  it('refuses even an administrator on a plan without business processes (the page\'s one documented refusal)', async () => {
    await portal.client.control('/emulator/plan', { plan: 'basic' })
    try {
      const reply = await portal.client.app(1, 'bizproc.workflow.start', { TEMPLATE_ID: 3, DOCUMENT_ID: ['crm', SMART_INVOICE, `SMART_INVOICE_${invoiceId()}`], PARAMETERS: {} })
      expect(reply).toEqual({ status: 403, body: { error: 'ACCESS_DENIED', error_description: 'Access denied!' } })
    }
    finally {
      await portal.client.control('/emulator/plan', { plan: 'professional' })
    }
  })

  it('keeps the approval running until it is granted, then it leaves the instances', async () => {
    const started = await portal.client.hook('bizproc.workflow.start', { TEMPLATE_ID: 1, DOCUMENT_ID: ['crm', 'CCrmDocumentDeal', `DEAL_${dealId()}`], PARAMETERS: { Approver: 'user_1' } })
    const workflowId = String(started.body.result)
    const running = await portal.client.hook('bizproc.workflow.instances', { select: ['ID', 'DOCUMENT_ID', 'TEMPLATE_ID', 'ENTITY', 'STARTED_BY'], filter: { DOCUMENT_ID: `DEAL_${dealId()}` } })
    expect(running.body).toMatchObject({ result: [{ ID: workflowId, DOCUMENT_ID: `DEAL_${dealId()}`, TEMPLATE_ID: '1', ENTITY: 'CCrmDocumentDeal', STARTED_BY: '1' }], total: 1 })
    expect((await portal.client.control('/emulator/bizproc/approve', { workflowId })).body).toEqual({ ok: true, workflowId, status: 'completed' })
    expect((await portal.client.hook('bizproc.workflow.instances')).body.result).toEqual([])
    expect((await portal.client.control('/emulator/bizproc/approve', { workflowId })).status).toBe(409)
    expect((await portal.client.journal('workflows')).map(entry => entry.title)).toEqual(['Согласование счёта: согласовано', 'Согласование счёта'])
  })

  it.each([
    ['no template', {}, 400, 'ERROR_WRONG_WORKFLOW_ID', 'Empty TEMPLATE_ID'],
    ['an unknown template', { TEMPLATE_ID: 99 }, 400, 'ERROR_WRONG_WORKFLOW_ID', 'Template not found'],
    ['a short DOCUMENT_ID', { TEMPLATE_ID: 1, DOCUMENT_ID: ['crm', 'DEAL_1'] }, 400, '', 'Wrong DOCUMENT_ID!'],
    ['an unknown entity', { TEMPLATE_ID: 1, DOCUMENT_ID: ['crm', 'CCrmDocumentNope', 'DEAL_1'] }, 400, '', 'Incorrect document type!'],
    ['a missing deal', { TEMPLATE_ID: 1, DOCUMENT_ID: ['crm', 'CCrmDocumentDeal', 'DEAL_999999'] }, 400, '', 'Incorrect document type!'],
    ['a deal template on an invoice', { TEMPLATE_ID: 1, DOCUMENT_ID: ['crm', SMART_INVOICE, 'SMART_INVOICE_1'] }, 400, '', 'Template type and DOCUMENT_ID mismatch!'],
  ])('refuses %s', async (_name, params, status, error, description) => {
    const reply = await portal.client.hook('bizproc.workflow.start', params)
    expect(reply).toEqual({ status, body: { error, error_description: description } })
  })

  it('refuses a non-admin with HTTP 403 ACCESS_DENIED and starts nothing', async () => {
    const reply = await portal.client.app(2, 'bizproc.workflow.start', { TEMPLATE_ID: 2, DOCUMENT_ID: ['crm', 'CCrmDocumentDeal', `DEAL_${portal.dealOf2}`] })
    expect(reply).toEqual({ status: 403, body: { error: 'ACCESS_DENIED', error_description: 'Access denied!' } })
    expect(await portal.client.journal('workflows')).toEqual([])
  })
})

describe('bizproc.workflow.instances and terminate', () => {
  it('terminates a running workflow (STATUS kept in the journal); a second time it is not found', async () => {
    const workflowId = String((await portal.client.hook('bizproc.workflow.start', { TEMPLATE_ID: 1, DOCUMENT_ID: ['crm', 'CCrmDocumentDeal', `DEAL_${dealId()}`] })).body.result)
    expect((await portal.client.app(1, 'bizproc.workflow.terminate', { ID: workflowId, STATUS: 'Stopped by Invoice Desk' })).body.result).toBe(true)
    expect((await portal.client.hook('bizproc.workflow.instances')).body).toMatchObject({ result: [], total: 0 })
    expect((await portal.client.journal('workflows'))[0]).toMatchObject({ title: 'Согласование счёта: остановлен', details: { status: 'terminated', statusText: 'Stopped by Invoice Desk' } })
    expect(await portal.client.hook('bizproc.workflow.terminate', { ID: workflowId })).toEqual({ status: 400, body: { error: '', error_description: 'Workflow not found' } })
  })

  it.each([
    ['instances', 'bizproc.workflow.instances', {}],
    ['terminate', 'bizproc.workflow.terminate', { ID: 'x' }],
  ])('%s: non-admins get HTTP 403 ACCESS_DENIED', async (_name, method, params) => {
    expect(await portal.client.app(3, method, params)).toEqual({ status: 403, body: { error: 'ACCESS_DENIED', error_description: 'Access denied!' } })
  })

  it('terminate without ID: ERROR_WRONG_WORKFLOW_ID', async () => {
    expect(await portal.client.hook('bizproc.workflow.terminate', {})).toEqual({ status: 400, body: { error: 'ERROR_WRONG_WORKFLOW_ID', error_description: 'Empty workflow instance ID' } })
  })
})

describe('bizproc through the SDK webhook client (https)', () => {
  let emulator: RunningEmulator
  let hook: B24Hook

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', webhookScopes: WEBHOOK_SCOPES })
    const ca = await readFile(emulator.caCertPath ?? '', 'utf8')
    hook = B24Hook.fromWebhookUrl(emulator.webhookUrl, { restrictionParams: { maxRetries: 1 } })
    hook.offClientSideWarning()
    for (const version of [ApiVersion.v2, ApiVersion.v3])
      hook.getHttpClient(version).ajaxClient.defaults.httpsAgent = new https.Agent({ ca })
  })
  afterAll(() => emulator.close())

  it('starts on a deal in a batch and reads the running workflow by its DOCUMENT_ID', async () => {
    const deal = emulator.state.entities[2].items[0]!.id
    const response = await hook.actions.v2.batch.make({
      calls: {
        start: { method: 'bizproc.workflow.start', params: { TEMPLATE_ID: 1, DOCUMENT_ID: ['crm', 'CCrmDocumentDeal', `DEAL_${deal}`], PARAMETERS: { Approver: 'user_1' } } },
        running: { method: 'bizproc.workflow.instances', params: { SELECT: ['ID', 'TEMPLATE_ID'], FILTER: { DOCUMENT_ID: `DEAL_${deal}` } } },
      },
      options: { isHaltOnError: true, returnAjaxResult: true },
    })
    expect(response.isSuccess).toBe(true)
    const data = response.getData() as Record<string, { getData: () => { result: unknown } }>
    const workflowId = data.start!.getData().result
    expect(workflowId).toMatch(/^[0-9a-f]{14}\.\d{8}$/)
    expect(data.running!.getData().result).toEqual([{ ID: workflowId, TEMPLATE_ID: '1' }])
  })

  it('reports a refused start as an AjaxError with the portal code and status', async () => {
    const error = await hook.actions.v2.call.make({ method: 'bizproc.workflow.start', params: { TEMPLATE_ID: 99, DOCUMENT_ID: ['crm', 'CCrmDocumentDeal', 'DEAL_1'] } }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AjaxError)
    expect(error).toMatchObject({ code: 'ERROR_WRONG_WORKFLOW_ID', status: 400, message: 'Template not found' })
  })
})
