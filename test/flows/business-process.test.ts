import type { InvoiceDeskSettings, ProcessStart } from '../../src/domain/settings/settings.ts'
import type { IssueEnvironment } from '../../src/flows/issue-and-send.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { APPROVAL_LOG_TITLE, PROCESS_LOG_TITLE } from '../../src/domain/bizproc/process-log.ts'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { BIZPROC_PLAN_RESTRICTED, loadDealProcesses, requestApproval, startProcesses, stopProcess } from '../../src/flows/business-process.ts'
import { prepareIssue, runIssue } from '../../src/flows/issue-and-send.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { PortalError } from '../../src/portal/portal-error.ts'
import { approveWorkflow } from '../emulator/data/bizproc-state.ts'
import { startEmulator } from '../emulator/server.ts'
import { createFakePortalClient } from '../support/fake-portal-client.ts'

const SMART_INVOICE = 'Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice'
const closing: ProcessStart = { templateId: 2, document: 'deal', name: 'Закрывающие документы после оплаты', parameters: { Comment: 'оплачено' } }
const control: ProcessStart = { templateId: 3, document: 'invoice', name: 'Контроль оплаты', parameters: {} }

function withProcesses(patch: (processes: InvoiceDeskSettings['processes']) => InvoiceDeskSettings['processes']): InvoiceDeskSettings {
  const base = defaultSettings()
  return { ...base, processes: patch(base.processes) }
}

const paidSettings = withProcesses(processes => ({ ...processes, events: { ...processes.events, paid: { processes: [closing, control], triggerCode: 'invoice_paid' } } }))
const denied = () => new PortalError('bizproc.workflow.start', 'ACCESS_DENIED', 'Access denied!', 403, true)

describe('flows/business-process startProcesses (fake portal)', () => {
  it('starts every process of the event and fires its trigger in ONE batch, on the right documents', async () => {
    const { client, requests } = createFakePortalClient({
      'bizproc.workflow.start': params => ({ result: `wf-${(params.TEMPLATE_ID as number)}` }),
      'crm.timeline.logmessage.add': { result: 1 },
      'crm.automation.trigger.execute': { result: true },
    })
    const outcomes = await startProcesses(client, 'paid', { dealId: 7, invoiceId: 12 }, paidSettings, { isAdmin: true })
    expect(client.roundTrips()).toBe(1)
    const starts = requests[0]!.calls.filter(call => call.method === 'bizproc.workflow.start')
    expect(starts.map(call => call.params)).toEqual([
      { TEMPLATE_ID: 2, DOCUMENT_ID: ['crm', 'CCrmDocumentDeal', 'DEAL_7'], PARAMETERS: { Comment: 'оплачено' } },
      { TEMPLATE_ID: 3, DOCUMENT_ID: ['crm', SMART_INVOICE, 'SMART_INVOICE_12'], PARAMETERS: {} },
    ])
    const log = requests[0]!.calls.find(call => call.method === 'crm.timeline.logmessage.add')!.params as { fields: Record<string, unknown> }
    expect(log.fields).toMatchObject({ entityTypeId: 2, entityId: 7, title: PROCESS_LOG_TITLE, text: '«Закрывающие документы после оплаты» — paid\ntemplate 2 · DEAL_7 · workflow $result[start0]' })
    expect(outcomes.map(outcome => outcome.status)).toEqual(['started', 'started', 'fired'])
    expect(outcomes[0]).toMatchObject({ kind: 'process', workflowId: 'wf-2' })
  })

  it('tells "needs an admin" from a failure, and never throws', async () => {
    const { client } = createFakePortalClient({
      'bizproc.workflow.start': params => (params.TEMPLATE_ID === 2 ? denied() : new PortalError('bizproc.workflow.start', 'ERROR_WRONG_WORKFLOW_ID', 'Template not found', 400, true)),
      'crm.timeline.logmessage.add': new PortalError('crm.timeline.logmessage.add', 'INVALID_ARG_VALUE', 'unresolved', 400, true),
    })
    const outcomes = await startProcesses(client, 'paid', { dealId: 7, invoiceId: 12 }, paidSettings, { isAdmin: false })
    expect(outcomes.map(outcome => [outcome.kind, outcome.status])).toEqual([['process', 'needs-admin'], ['process', 'failed'], ['trigger', 'needs-admin']])
    expect(client.roundTrips()).toBe(1)
  })

  it('costs no round trip when nothing is configured, and reports a deal process with no deal', async () => {
    const { client } = createFakePortalClient({})
    expect(await startProcesses(client, 'issued', { dealId: 7, invoiceId: 12 }, defaultSettings(), { isAdmin: true })).toEqual([])
    const outcomes = await startProcesses(client, 'paid', { dealId: null, invoiceId: null }, paidSettings, { isAdmin: true })
    expect(outcomes.map(outcome => outcome.status)).toEqual(['failed', 'failed'])
    expect(client.roundTrips()).toBe(0)
  })

  it('turns a failed batch into failed outcomes instead of throwing', async () => {
    const client = {
      ...createFakePortalClient({}).client,
      batch: async () => {
        throw new Error('socket hang up')
      },
    }
    const outcomes = await startProcesses(client, 'paid', { dealId: 7, invoiceId: 12 }, paidSettings, { isAdmin: true })
    expect(outcomes.map(outcome => outcome.status)).toEqual(['failed', 'failed', 'failed'])
  })
})

describe('flows/business-process requestApproval (fake portal)', () => {
  const approval = { enabled: true, minAmount: null, templateId: 1, document: 'deal' as const, name: 'Согласование счёта' }
  const marker = { title: APPROVAL_LOG_TITLE, text: '«Согласование счёта» — approval\ntemplate 1 · DEAL_7 · workflow 66e81a641752f8.56521481' }

  it.each([
    ['still listed: waiting', { result: [{ ID: '66e81a641752f8.56521481', DOCUMENT_ID: 'DEAL_7', TEMPLATE_ID: '1' }] }, { status: 'waiting', workflowId: '66e81a641752f8.56521481', checkable: true }],
    ['no longer listed: approved', { result: [] }, { status: 'approved' }],
    ['a non-admin cannot list: waiting, unchecked', new PortalError('bizproc.workflow.instances', 'ACCESS_DENIED', 'Access denied!', 403, true), { status: 'waiting', workflowId: '66e81a641752f8.56521481', checkable: false }],
  ])('%s', async (_name, instances, expected) => {
    const { client } = createFakePortalClient({ 'crm.timeline.logmessage.list': { result: [marker] }, 'bizproc.workflow.instances': instances })
    expect(await requestApproval(client, { dealId: 7, invoiceId: 12 }, approval, false)).toEqual(expected)
    expect(client.roundTrips()).toBe(1)
  })

  it('a non-admin cannot start it: not started, needs an admin', async () => {
    const { client } = createFakePortalClient({ 'bizproc.workflow.start': denied(), 'crm.timeline.logmessage.add': { result: 1 } })
    expect(await requestApproval(client, { dealId: 7, invoiceId: 12 }, approval, true)).toMatchObject({ status: 'not-started', needsAdmin: true })
  })
})

describe('flows/business-process in the issue chain (emulator, SDK webhook)', () => {
  let emulator: RunningEmulator
  let caCertificate: string

  beforeAll(async () => {
    // An administrator's webhook with `bizproc` ticked: bizproc.workflow.* need both (README, «Scheduled reminders»).
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 50, webhookScopes: ['crm', 'im', 'task', 'user_basic', 'bizproc'] })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())
  beforeEach(() => {
    emulator.engine.faults.clear()
    emulator.engine.reset('demo')
  })

  const env = (dealId = 0): IssueEnvironment => ({ now: new Date(), ownKeys: new Set([invoiceKey(dealId)]), timeZone: 'Europe/Moscow', locale: 'ru', isAdmin: true, sleep: ms => new Promise(resolve => setTimeout(resolve, ms)), pdfPollMs: 50, pdfTimeoutMs: 10_000 })
  const portal = () => connectWithWebhook(emulator.webhookUrl, { caCertificate })
  const state = () => emulator.state
  const workflows = () => state().journal.filter(entry => entry.kind === 'workflows')
  const outbox = () => state().journal.filter(entry => entry.kind === 'outbox')

  function issuableDeal(): number {
    for (const deal of state().entities[2].items) {
      const id = Number(deal.id)
      if (Number(deal.opportunity) <= 0 || state().entities[31].items.some(item => item.xmlId === invoiceKey(id)))
        continue
      const contact = state().entities[3].byId.get(Number(deal.contactId))
      const company = state().entities[4].byId.get(Number(deal.companyId))
      const emails = [contact, company].flatMap(item => ((item?.fm ?? []) as Array<{ typeId: string, value: string }>).filter(f => f.typeId === 'EMAIL').map(f => f.value))
      if (company && emails.length > 0 && /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(emails[0]!))
        return id
    }
    throw new Error('no issuable deal')
  }

  it('on a plan without business processes an administrator\'s start is refused and says the plan, not the rights', async () => {
    emulator.engine.plan = 'basic'
    try {
      const dealId = issuableDeal()
      const invoiceId = Number(state().entities[31].items[0]!.id)
      const outcomes = await startProcesses(portal(), 'paid', { dealId, invoiceId }, paidSettings, { isAdmin: true, fireTrigger: false })
      expect(outcomes.map(outcome => [outcome.kind, outcome.status, 'error' in outcome ? outcome.error?.code : null])).toEqual([
        ['process', 'failed', BIZPROC_PLAN_RESTRICTED],
        ['process', 'failed', BIZPROC_PLAN_RESTRICTED],
      ])
      expect(workflows()).toEqual([])
    }
    finally {
      emulator.engine.plan = 'professional'
    }
  })

  const approvalSettings = withProcesses(processes => ({
    ...processes,
    events: { ...processes.events, sent: { processes: [control], triggerCode: null } },
    approval: { enabled: true, minAmount: { amountMinor: 100, currency: 'RUB' }, templateId: 1, document: 'deal', name: 'Согласование счёта' },
  }))

  it('stops an invoice above the approval sum before the e-mail, then sends it once the approval is granted', async () => {
    const dealId = issuableDeal()
    const client = portal()
    const first = await runIssue(client, await prepareIssue(client, dealId, approvalSettings, env(dealId)), env(dealId))
    expect(first).toMatchObject({ status: 'awaiting-approval', approval: { checkable: true, startError: null } })
    expect(outbox()).toHaveLength(0)
    const workflowId = first.status === 'awaiting-approval' ? first.approval.workflowId! : ''
    expect(workflows()[0]!.details).toMatchObject({ workflowId, documentId: ['crm', 'CCrmDocumentDeal', `DEAL_${dealId}`], status: 'running' })

    const stillWaiting = await runIssue(client, await prepareIssue(client, dealId, approvalSettings, env(dealId)), env(dealId))
    expect(stillWaiting).toMatchObject({ status: 'awaiting-approval', approval: { workflowId } })
    expect(workflows().filter(entry => entry.details.method === 'bizproc.workflow.start')).toHaveLength(1)

    approveWorkflow(state(), Date.now(), workflowId, 1)
    const sent = await runIssue(client, await prepareIssue(client, dealId, approvalSettings, env(dealId)), env(dealId))
    expect(sent).toMatchObject({ status: 'sent', warnings: [] })
    expect(outbox()).toHaveLength(1)
    const invoiceId = sent.status === 'sent' ? sent.invoiceId : 0
    expect(workflows().at(-1)).toMatchObject({ title: 'Контроль оплаты', details: { documentId: ['crm', SMART_INVOICE, `SMART_INVOICE_${invoiceId}`], status: 'completed' } })

    const listed = await loadDealProcesses(client, dealId, [invoiceId])
    expect(listed.statesKnown).toBe(true)
    expect(listed.processes.map(process => [process.name, process.reason, process.state])).toEqual([['Контроль оплаты', 'sent', 'finished'], ['Согласование счёта', 'approval', 'finished']])
  })

  it('an approval an admin stopped from the deal tab is a refusal: the invoice is never e-mailed', async () => {
    const dealId = issuableDeal()
    const client = portal()
    const first = await runIssue(client, await prepareIssue(client, dealId, approvalSettings, env(dealId)), env(dealId))
    expect(first.status).toBe('awaiting-approval')
    const invoiceId = first.status === 'awaiting-approval' ? first.invoiceId : 0
    const listed = await loadDealProcesses(client, dealId, [invoiceId])
    const approvalProcess = listed.processes.find(process => process.reason === 'approval')!
    await stopProcess(client, approvalProcess, 'Отклонено', [invoiceId])
    expect(workflows().at(-1)).toMatchObject({ details: { status: 'terminated' } })

    const again = await runIssue(client, await prepareIssue(client, dealId, approvalSettings, env(dealId)), env(dealId))
    expect(again).toMatchObject({ status: 'awaiting-approval', approval: { rejected: true, workflowId: approvalProcess.workflowId } })
    expect(outbox()).toHaveLength(0)
    // Without the marker (stopped elsewhere) the same portal would have read "approved": the marker is what refuses.
    expect(workflows().filter(entry => entry.details.method === 'bizproc.workflow.start')).toHaveLength(1)
  })

  it('a failed process start at "sent" is a warning; the invoice is sent all the same', async () => {
    const dealId = issuableDeal()
    const client = portal()
    // A webhook is no app context: the trigger stays off here (the e2e fires it).
    const settings = withProcesses(processes => ({ ...processes, events: { ...processes.events, sent: { processes: [control], triggerCode: null } } }))
    emulator.engine.faults.add({ method: 'bizproc.workflow.start', times: 1, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Internal server error' })
    const result = await runIssue(client, await prepareIssue(client, dealId, settings, env()), env())
    expect(result).toMatchObject({ status: 'sent', warnings: [{ part: 'process', event: 'sent', outcome: { status: 'failed', error: { code: 'INTERNAL_SERVER_ERROR' } } }] })
    expect(outbox()).toHaveLength(1)
  })
})
