// The reminder sweep as the accountant's queue runs it (an admin's app token, the real SDK's B24OAuth)
// against the emulator, with the portal refusing commands inside the batch with an EMPTY error code
// (`"error": ""`, as crm.activity.add, bizproc.workflow.start and crm.automation.trigger.execute do).
import type { InvoiceDeskSettings, ProcessStart } from '../../src/domain/settings/settings.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { B24OAuth, EnumAppStatus } from '@bitrix24/b24jssdk'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parseRecord } from '../../src/domain/collection/collection-record.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { dueKey, executeSweep, prepareSweep } from '../../src/flows/run-reminders.ts'
import { createSdkPortalClient, SAFE_RESTRICTION_PARAMS } from '../../src/portal/sdk-portal-client.ts'
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from '../emulator/control/oauth-token.ts'
import { startEmulator } from '../emulator/server.ts'

const ZONE = '+03:00'
const control: ProcessStart = { templateId: 3, document: 'invoice', name: 'Контроль оплаты', parameters: {} }

function settings(): InvoiceDeskSettings {
  const base = defaultSettings()
  return {
    ...base,
    reminders: { ...base.reminders, steps: [{ offsetDays: -3, channel: 'email', templateId: 'reminderBeforeDue' }], repeat: null },
    processes: { ...base.processes, events: { ...base.processes.events, reminder: { processes: [control], triggerCode: 'invoice_reminded' } } },
  }
}

let emulator: RunningEmulator
let portal: PortalClient

/** The admin's app token, as the frame has it: app context (triggers fire only there). */
async function adminApp(): Promise<PortalClient> {
  const response = await fetch(`${emulator.url}/emulator/frame-session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 1, placement: 'DEFAULT', placementOptions: {}, lang: 'ru' }) })
  const init = await response.json() as { AUTH_ID: string, REFRESH_ID: string, MEMBER_ID: string, DOMAIN: string }
  const client = new B24OAuth({
    applicationToken: 'app-token', userId: 1, memberId: init.MEMBER_ID, accessToken: init.AUTH_ID, refreshToken: init.REFRESH_ID,
    expires: Math.floor(Date.now() / 1000) + 3600, expiresIn: 3600, scope: 'crm,bizproc,im,task,user_basic', domain: init.DOMAIN,
    clientEndpoint: `${emulator.url}/rest/`, serverEndpoint: `${emulator.url}/rest/`, status: EnumAppStatus.Local,
  }, { clientId: OAUTH_CLIENT_ID, clientSecret: OAUTH_CLIENT_SECRET }, { restrictionParams: SAFE_RESTRICTION_PARAMS })
  client.offClientSideWarning()
  return createSdkPortalClient(client)
}

async function overdueInvoice(): Promise<number> {
  const company = await portal.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 4, fields: { title: 'ООО «Ромашка»' } })
  const item = emulator.state.entities[4].items.find(entry => entry.id === company.item.id)!
  Object.assign(item, { hasEmail: 'Y', email: 'buh@romashka.example', fm: [{ id: 100 + company.item.id, valueType: 'WORK', value: 'buh@romashka.example', typeId: 'EMAIL' }] })
  const answer = await portal.call<{ item: { id: number } }>('crm.item.add', {
    entityTypeId: 31,
    fields: { title: 'Счёт', companyId: company.item.id, stageId: 'DT31_5:S', categoryId: 5, begindate: '2026-02-20', closedate: '2026-03-06', opportunity: 1500, currencyId: 'RUB', assignedById: 2 },
  })
  return answer.item.id
}

const outbox = () => emulator.state.journal.filter(entry => entry.kind === 'outbox')
const records = (invoiceId: number) => emulator.state.journal
  .filter(entry => entry.kind === 'timeline' && (entry.details as { owner: { id: number } }).owner.id === invoiceId)
  .map(entry => parseRecord(String((entry.details as { text: string }).text)))
  .flatMap(record => (record?.kind === 'reminder' ? [`${record.step} ${record.status}${record.reason ? ` ${record.reason}` : ''}`] : []))

beforeAll(async () => {
  emulator = await startEmulator({ data: 'empty', limits: 'off', now: new Date(`2026-03-03T10:00:00${ZONE}`) })
})
afterAll(() => emulator?.close())
beforeEach(async () => {
  emulator.engine.faults.clear()
  emulator.engine.reset('empty')
  emulator.engine.clock.set(new Date(`2026-03-03T10:00:00${ZONE}`))
  portal = await adminApp()
})

describe('the reminder queue when the portal refuses with an empty error code', () => {
  it('a refused e-mail is failed with the portal\'s words, recorded so, and offered again by the next look', async () => {
    const id = await overdueInvoice()
    const options = { locale: 'ru' as const, runnerId: 'queue', isAdmin: true }
    const prep = await prepareSweep(portal, settings(), options)
    expect(prep.previews.map(preview => preview.keys)).toEqual([[`${id}:-3`]])
    emulator.engine.faults.add({ method: 'crm.activity.add', times: 1, kind: 'error', status: 400, code: '', description: 'Email send error. Invalid email is specified' })
    const result = await executeSweep(portal, prep, options, new Set([`${id}:-3`]))
    expect(result.outcomes.map(outcome => [dueKey(outcome), outcome.status, (outcome.error as Error | null)?.message])).toEqual([[`${id}:-3`, 'failed', 'Email send error. Invalid email is specified']])
    expect(records(id)).toEqual(['-3 claim', '-3 failed Email send error. Invalid email is specified'])
    // A failed reminder starts no "reminder" process.
    expect(result.processWarnings).toEqual([])
    expect(emulator.state.journal.filter(entry => entry.kind === 'workflows')).toHaveLength(0)
    expect(outbox()).toHaveLength(0)

    const again = await prepareSweep(portal, settings(), options)
    expect(again.previews.map(preview => preview.keys)).toEqual([[`${id}:-3`]])
    const sent = await executeSweep(portal, again, options, new Set([`${id}:-3`]))
    expect(sent.outcomes.map(outcome => outcome.status)).toEqual(['sent'])
    expect(outbox()).toHaveLength(1)
  })

  it('a "reminder" process that did not start (Wrong DOCUMENT_ID!) and an unregistered trigger are failures with the portal\'s words, not started', async () => {
    const id = await overdueInvoice()
    const options = { locale: 'ru' as const, runnerId: 'queue', isAdmin: true }
    const prep = await prepareSweep(portal, settings(), options)
    emulator.engine.faults.add({ method: 'bizproc.workflow.start', times: 1, kind: 'error', status: 400, code: '', description: 'Wrong DOCUMENT_ID!' })
    const result = await executeSweep(portal, prep, options)
    expect(result.outcomes.map(outcome => outcome.status)).toEqual(['sent'])
    const warnings = result.processWarnings.map(({ invoiceId, outcome }) => [invoiceId, outcome.kind, outcome.status, 'error' in outcome ? outcome.error?.message : null])
    expect(warnings).toEqual([
      [id, 'process', 'failed', 'Wrong DOCUMENT_ID!'],
      [id, 'trigger', 'failed', 'Trigger with code invoice_reminded is not registered.'],
    ])
    expect(emulator.state.journal.filter(entry => entry.kind === 'workflows' || entry.kind === 'triggers')).toHaveLength(0)
  })
})
