// App tokens: B24OAuth from the SDK against the emulator (http), with /oauth/token/ for refresh.
import { AjaxError, B24OAuth, EnumAppStatus } from '@bitrix24/b24jssdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from '../control/oauth-token.ts'
import { startEmulator, type RunningEmulator } from '../server.ts'

interface InitData { AUTH_ID: string, REFRESH_ID: string, MEMBER_ID: string, DOMAIN: string, IS_ADMIN: boolean, INSTALL: boolean }

async function control<T>(emulator: RunningEmulator, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulator.url}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return await response.json() as T
}

async function oauthFor(emulator: RunningEmulator, userId: number): Promise<B24OAuth> {
  const init = await control<InitData>(emulator, '/emulator/frame-session', { userId, placement: 'DEFAULT', placementOptions: {}, lang: 'ru' })
  const client = new B24OAuth({
    applicationToken: 'app-token', userId, memberId: init.MEMBER_ID, accessToken: init.AUTH_ID, refreshToken: init.REFRESH_ID,
    expires: Math.floor(Date.now() / 1000) + 3600, expiresIn: 3600, scope: 'crm,placement,user_basic', domain: init.DOMAIN,
    clientEndpoint: `${emulator.url}/rest/`, serverEndpoint: `${emulator.url}/rest/`, status: EnumAppStatus.Local,
  }, { clientId: OAUTH_CLIENT_ID, clientSecret: OAUTH_CLIENT_SECRET }, { restrictionParams: { maxRetries: 1 } })
  client.offClientSideWarning()
  return client
}

describe('B24OAuth (demo, limits off)', () => {
  let emulator: RunningEmulator

  beforeAll(async () => {
    emulator = await startEmulator({ data: 'demo', limits: 'off' })
  })
  afterAll(() => emulator.close())

  it('a manager lists only own invoices and gets ACCESS_DENIED on someone else\'s', async () => {
    const manager = await oauthFor(emulator, 2)
    const list = await manager.actions.v2.callList.make<{ id: number, assignedById: number }>({
      method: 'crm.item.list', params: { entityTypeId: 31, select: ['id', 'assignedById'] }, idKey: 'id', customKeyForResult: 'items',
    })
    const own = list.getData() ?? []
    expect(own.length).toBeGreaterThan(0)
    expect(own.every(item => item.assignedById === 2)).toBe(true)
    const foreign = emulator.state.entities[31].items.find(item => item.assignedById === 3)
    const error = await manager.actions.v2.call.make({ method: 'crm.item.get', params: { entityTypeId: 31, id: foreign?.id } }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AjaxError)
    expect((error as AjaxError).code).toBe('ACCESS_DENIED')
  })

  it('an expired token is refreshed through /oauth/token/ and the call retried', async () => {
    const admin = await oauthFor(emulator, 1)
    const before = admin.auth.getAuthData()
    await control(emulator, '/emulator/expire-tokens', {})
    emulator.engine.resetStats()
    const response = await admin.actions.v2.call.make<{ ID: string }>({ method: 'profile', params: {} })
    expect(response.getData()?.result.ID).toBe('1')
    const after = admin.auth.getAuthData()
    expect(after && before && after.access_token !== before.access_token).toBe(true)
    expect(emulator.stats.errors.expired_token).toBe(1)
    expect(emulator.stats.restRequests.profile).toBe(2)
  })

  it('crm.item.add → productrow.set recomputes the amount; placement and options need app context', async () => {
    const admin = await oauthFor(emulator, 1)
    const added = await admin.actions.v2.call.make<{ item: { id: number, categoryId: number, stageId: string, closedate: string, begindate: string } }>({
      method: 'crm.item.add', params: { entityTypeId: 31, fields: { title: 'Тест', parentId2: 1, companyId: 2, unknownKey: 1 } },
    })
    const item = added.getData()?.result.item
    expect(item?.categoryId).toBe(5)
    expect(item?.stageId).toBe('DT31_5:N')
    expect(item?.begindate).toMatch(/^\d{4}-\d{2}-\d{2}T03:00:00\+03:00$/)
    const rows = await admin.actions.v2.call.make<{ productRows: { price: number }[] }>({
      method: 'crm.item.productrow.set', params: { ownerType: 'SI', ownerId: item?.id, productRows: [{ productName: 'A', price: 100, quantity: 3 }, { productName: 'B', price: 50.5, quantity: 2 }] },
    })
    expect(rows.getData()?.result.productRows).toHaveLength(2)
    const fresh = await admin.actions.v2.call.make<{ item: { opportunity: number } }>({ method: 'crm.item.get', params: { entityTypeId: 31, id: item?.id } })
    expect(fresh.getData()?.result.item.opportunity).toBe(401)
    const bound = await admin.actions.v2.call.make<boolean>({ method: 'placement.bind', params: { PLACEMENT: 'CRM_SMART_INVOICE_LIST_MENU', HANDLER: 'http://127.0.0.1:4173/', TITLE: 'Счета' } })
    expect(bound.getData()?.result).toBe(true)
    await admin.actions.v2.call.make({ method: 'app.option.set', params: { options: { currency: 'RUB' } } })
    const option = await admin.actions.v2.call.make<string>({ method: 'app.option.get', params: { option: 'currency' } })
    expect(option.getData()?.result).toBe('RUB')
  })
})
