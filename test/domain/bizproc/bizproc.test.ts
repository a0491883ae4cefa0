import type { SettingsCatalog } from '../../../src/domain/settings/settings-catalog.ts'
import { describe, expect, it } from 'vitest'
import { needsApproval } from '../../../src/domain/bizproc/approval.ts'
import { bizprocDocumentId, parseDocumentElement, templateDocumentType } from '../../../src/domain/bizproc/process-document.ts'
import { parseProcessLog, processLogText } from '../../../src/domain/bizproc/process-log.ts'
import { planEventProcesses } from '../../../src/domain/bizproc/process-plan.ts'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'
import { readSettings, SETTINGS_OPTION } from '../../../src/domain/settings/read-settings.ts'
import { validateSettings } from '../../../src/domain/settings/validate-settings.ts'

const rub = (amountMinor: number) => ({ amountMinor, currency: 'RUB' })
const approval = { enabled: true, minAmount: rub(100_000_00), templateId: 1, document: 'deal' as const, name: 'Согласование счёта' }

describe('domain/bizproc/approval', () => {
  it.each([
    ['at the minimum', rub(100_000_00), approval, true],
    ['below it', rub(99_999_99), approval, false],
    ['in another currency (cannot compare)', { amountMinor: 1, currency: 'USD' }, approval, true],
    ['with no minimum', rub(1), { ...approval, minAmount: null }, true],
    ['switched off', rub(200_000_00), { ...approval, enabled: false }, false],
    ['with no template', rub(200_000_00), { ...approval, templateId: null }, false],
  ])('an invoice %s: needs approval = %s', (_name, amount, settings, expected) => {
    expect(needsApproval(amount, settings)).toBe(expected)
  })
})

describe('domain/bizproc/process-document', () => {
  it('names deals and smart invoices as bizproc.workflow.start documents them', () => {
    expect(bizprocDocumentId('deal', 7)).toEqual(['crm', 'CCrmDocumentDeal', 'DEAL_7'])
    expect(bizprocDocumentId('invoice', 3)).toEqual(['crm', 'Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice', 'SMART_INVOICE_3'])
    expect(parseDocumentElement('SMART_INVOICE_3')).toEqual({ type: 'invoice', id: 3 })
    expect(parseDocumentElement('LEAD_3')).toBeNull()
  })

  it.each([
    ['CCrmDocumentDeal', 'DEAL', 'deal'],
    ['Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice', 'SMART_INVOICE', 'invoice'],
    ['x', ['crm', 'CCrmDocumentDeal', 'DEAL'], 'deal'],
    ['CCrmDocumentLead', 'LEAD', null],
  ])('template %s / %j is a %s template', (entity, type, expected) => {
    expect(templateDocumentType(entity, type)).toBe(expected)
  })
})

describe('domain/bizproc/process-log', () => {
  it('reads back what it wrote, and nothing with an unfilled reference', () => {
    const text = processLogText('Контроль оплаты', 3, 'sent', 'SMART_INVOICE_5', '66e81a641752f8.56521481')
    expect(parseProcessLog(text)).toEqual({ name: 'Контроль оплаты', event: 'sent', templateId: 3, element: 'SMART_INVOICE_5', workflowId: '66e81a641752f8.56521481' })
    expect(parseProcessLog(processLogText('x', 3, 'sent', 'DEAL_1', '$result[start0]'))).toBeNull()
  })
})

describe('domain/bizproc/process-plan', () => {
  it('puts deal templates on the deal, invoice ones on the invoice, and the trigger only when there is an invoice', () => {
    const base = defaultSettings().processes
    const settings = { ...base, events: { ...base.events, paid: { processes: [{ templateId: 2, document: 'deal' as const, name: '', parameters: {} }, { templateId: 3, document: 'invoice' as const, name: '', parameters: {} }], triggerCode: 'invoice_paid' } } }
    const plan = planEventProcesses('paid', { dealId: null, invoiceId: 5 }, settings)
    expect(plan.starts.map(start => start.documentId[2])).toEqual(['SMART_INVOICE_5'])
    expect(plan.noDocument.map(start => start.templateId)).toEqual([2])
    expect(plan.triggerCode).toBe('invoice_paid')
    expect(planEventProcesses('paid', { dealId: 1, invoiceId: null }, settings).triggerCode).toBeNull()
  })
})

describe('domain/settings: processes (schema 2)', () => {
  it('a v1 document gets the defaults: no processes, no approval, the install triggers on their events', () => {
    const settings = readSettings({ [SETTINGS_OPTION]: JSON.stringify({ schemaVersion: 1, invoice: { paymentTermDays: { b2b: 10, b2c: 3 } } }) })
    expect(settings.processes).toEqual(defaultSettings().processes)
    expect(settings.processes.events.sent.triggerCode).toBe('invoice_sent')
  })

  it('keeps stored processes and drops malformed ones and bad trigger codes', () => {
    const stored = { schemaVersion: 2, processes: { events: { sent: { processes: [{ templateId: 3, document: 'invoice', name: 'Контроль оплаты', parameters: { a: 'b', n: 1 } }, { templateId: 'x' }], triggerCode: 'Bad Code' } }, approval: { enabled: true, templateId: 1, minAmount: rub(5) } } }
    const settings = readSettings({ [SETTINGS_OPTION]: JSON.stringify(stored) })
    expect(settings.processes.events.sent).toEqual({ processes: [{ templateId: 3, document: 'invoice', name: 'Контроль оплаты', parameters: { a: 'b' } }], triggerCode: 'invoice_sent' })
    expect(settings.processes.approval).toEqual({ enabled: true, templateId: 1, minAmount: rub(5), document: 'deal', name: '' })
  })

  it('refuses templates the portal no longer has, and an approval without one; not judged when the list is admin-only', () => {
    const base = defaultSettings()
    const settings = { ...base, processes: { ...base.processes, events: { ...base.processes.events, sent: { processes: [{ templateId: 9, document: 'deal' as const, name: '', parameters: {} }], triggerCode: null } }, approval: { ...approval, templateId: null } } }
    const catalog = { invoicePipelines: [], invoiceStages: [], dealPipelines: [], dealStages: [], documentTemplates: [], myCompanies: [], companies: [], users: [], baseCurrency: 'RUB' } satisfies SettingsCatalog
    const listed = { ...catalog, processTemplates: { status: 'ready' as const, templates: [{ id: 1, name: 'Согласование счёта', document: 'deal' as const, parameters: [] }] } }
    const paths = (found: ReturnType<typeof validateSettings>) => found.filter(issue => issue.path.startsWith('processes')).map(issue => issue.path)
    expect(paths(validateSettings(settings, listed))).toEqual(['processes.events.sent.processes.0.templateId', 'processes.approval.templateId'])
    expect(paths(validateSettings(settings, { ...catalog, processTemplates: { status: 'admin-only' } }))).toEqual(['processes.approval.templateId'])
  })
})
