// crm.automation.trigger.add/list/delete and crm.documentgenerator.template.list, as documented (HTTP 400 errors, object-keyed templates).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../server.ts'

let emulator: RunningEmulator

async function rest(method: string, body: Record<string, unknown>): Promise<{ status: number, body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}/rest/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: response.status, body: await response.json() as Record<string, unknown> }
}

async function appToken(userId: number): Promise<string> {
  const response = await fetch(`${emulator.url}/emulator/frame-session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, placement: 'DEFAULT', placementOptions: {}, lang: 'ru' }) })
  return String((await response.json() as { AUTH_ID: string }).AUTH_ID)
}

const hook = async (method: string, body: Record<string, unknown>) => {
  const response = await fetch(`${emulator.url}/rest/1/demo-webhook-secret/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: response.status, body: await response.json() as Record<string, unknown> }
}

beforeAll(async () => {
  emulator = await startEmulator({ data: 'empty', limits: 'off' })
})
afterAll(() => emulator.close())

describe('crm.automation.trigger.*', () => {
  it('adds, renames on a repeated CODE, lists and deletes', async () => {
    const auth = await appToken(1)
    expect((await rest('crm.automation.trigger.add', { CODE: 'invoice_paid', NAME: 'Оплачен', auth })).body.result).toBe(true)
    await rest('crm.automation.trigger.add', { CODE: 'invoice_paid', NAME: 'Счёт оплачен', auth })
    expect((await rest('crm.automation.trigger.list', { auth })).body.result).toEqual([{ NAME: 'Счёт оплачен', CODE: 'invoice_paid' }])
    expect((await rest('crm.automation.trigger.delete', { CODE: 'invoice_paid', auth })).body.result).toBe(true)
    expect((await rest('crm.automation.trigger.list', { auth })).body.result).toEqual([])
  })

  it.each([
    ['a manager', 'crm.automation.trigger.add', 2, { CODE: 'x', NAME: 'X' }, 'ACCESS_DENIED', 'Access denied! Admin permissions required'],
    ['an empty code', 'crm.automation.trigger.add', 1, { NAME: 'X' }, '', 'Empty trigger code!'],
    ['a code with capitals', 'crm.automation.trigger.add', 1, { CODE: 'Invoice', NAME: 'X' }, '', 'Wrong trigger code!'],
    ['deleting an unknown trigger', 'crm.automation.trigger.delete', 1, { CODE: 'nope' }, '', 'Trigger not found'],
  ])('refuses %s with HTTP 400', async (_name, method, userId, params, code, description) => {
    const { status, body } = await rest(method, { ...params, auth: await appToken(userId) })
    expect(status).toBe(400)
    expect(body).toMatchObject({ error: code, error_description: description })
  })

  it('refuses a webhook: application context required', async () => {
    const { status, body } = await hook('crm.automation.trigger.list', {})
    expect(status).toBe(400)
    expect(body).toMatchObject({ error: 'ACCESS_DENIED', error_description: 'Access denied! Application context required' })
  })
})

describe('crm.documentgenerator.template.list', () => {
  it('returns templates as an object keyed by id, without deleted ones, filtered by any binding', async () => {
    const { body } = await hook('crm.documentgenerator.template.list', { filter: { entityTypeId: ['31', '31_5'] } })
    const templates = (body.result as { templates: Record<string, { id: string, name: string, entityTypeId: string[] }> }).templates
    expect(Array.isArray(templates)).toBe(false)
    expect(Object.keys(templates).sort()).toEqual(['11', '12', '13', '15', '16'])
    expect(templates['13']).toMatchObject({ id: '13', name: 'Счёт с печатью и подписью', entityTypeId: ['31_5'] })
    expect(body.total).toBe(5)
  })

  it.each([
    [{ entityTypeId: ['31'] }, ['11', '12', '15', '16']],
    [{ entityTypeId: ['2_category_0'] }, ['21']],
    [{ isDeleted: 'Y' }, ['14']],
    [{}, ['11', '12', '13', '15', '16', '21']],
  ])('filter %j gives %j', async (filter, ids) => {
    const { body } = await hook('crm.documentgenerator.template.list', { filter })
    expect(Object.keys((body.result as { templates: object }).templates).sort()).toEqual(ids)
  })
})
