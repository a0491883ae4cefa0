// The HTTP surface: routing, envelopes, statuses, CORS, control API, faults.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../server.ts'

let emulator: RunningEmulator

async function call(path: string, init: { method?: string, body?: unknown, form?: string, headers?: Record<string, string> } = {}): Promise<{ status: number, body: Record<string, unknown>, headers: Headers }> {
  const headers: Record<string, string> = { ...init.headers }
  let body: string | undefined
  if (init.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded'
    body = init.form
  }
  else if (init.body !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(init.body)
  }
  const response = await fetch(`${emulator.url}${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) as Record<string, unknown> : {}, headers: response.headers }
}

const hook = (method: string): string => `/rest/1/demo-webhook-secret/${method}`

async function appToken(userId: number): Promise<string> {
  const session = await call('/emulator/frame-session', { body: { userId, placement: 'CRM_DEAL_DETAIL_TAB', placementOptions: { ID: '1' }, lang: 'ru' } })
  return String(session.body.AUTH_ID)
}

beforeAll(async () => {
  emulator = await startEmulator({ data: 'demo', limits: 'off', now: new Date('2026-03-15T10:00:00+03:00') })
})
afterAll(() => emulator.close())
beforeEach(async () => {
  await call('/emulator/faults', { method: 'DELETE' })
})

describe('REST envelope', () => {
  it('list: { result: { items }, total, next, time } with the documented time keys', async () => {
    const { status, body } = await call(hook('crm.item.list.json'), { body: { entityTypeId: 31 } })
    expect(status).toBe(200)
    expect(Object.keys(body)).toEqual(['result', 'total', 'next', 'time'])
    expect((body.result as { items: unknown[] }).items).toHaveLength(50)
    expect(body.next).toBe(50)
    expect(Object.keys(body.time as object)).toEqual(['start', 'finish', 'duration', 'processing', 'date_start', 'date_finish', 'operating_reset_at', 'operating'])
    expect((body.time as { date_start: string }).date_start).toMatch(/\+03:00$/)
  })

  it('accepts form-urlencoded bodies and query strings', async () => {
    const form = await call(hook('crm.item.get'), { form: 'entityTypeId=31&id=2' })
    expect((form.body.result as { item: { id: number } }).item.id).toBe(2)
    const query = await call(`${hook('crm.item.get')}?entityTypeId=31&id=3`, { method: 'POST' })
    expect((query.body.result as { item: { id: number } }).item.id).toBe(3)
  })

  it('errors carry the real statuses', async () => {
    expect((await call(hook('no.such.method'), { body: {} })).status).toBe(404)
    const wrongSecret = await call('/rest/1/wrong/profile', { body: {} })
    expect([wrongSecret.status, wrongSecret.body.error]).toEqual([401, 'NO_AUTH_FOUND'])
    const noToken = await call('/rest/profile', { body: { auth: 'nope' } })
    expect([noToken.status, noToken.body.error]).toEqual([401, 'NO_AUTH_FOUND'])
    const notFound = await call(hook('crm.item.get'), { body: { entityTypeId: 31, id: 100_000 } })
    expect([notFound.status, notFound.body.error, notFound.body.error_description]).toEqual([400, 'NOT_FOUND', 'Item not found'])
    const oldInvoice = await call(hook('crm.item.list'), { body: { entityTypeId: 5 } })
    expect(oldInvoice.body.error).toBe('ENTITY_TYPE_NOT_SUPPORTED')
    const badType = await call(hook('crm.item.list'), { body: { entityTypeId: 999 } })
    expect(badType.body.error).toBe('NOT_FOUND')
  })

  it('expired app token → 401 expired_token; refresh-auth gives a new one', async () => {
    const session = await call('/emulator/frame-session', { body: { userId: 2 } })
    await call('/emulator/expire-tokens', { body: {} })
    const expired = await call('/rest/profile', { body: { auth: session.body.AUTH_ID } })
    expect([expired.status, expired.body.error, expired.body.error_description]).toEqual([401, 'expired_token', 'The access token provided has expired'])
    const refreshed = await call('/emulator/refresh-auth', { body: { refreshToken: session.body.REFRESH_ID } })
    const profile = await call('/rest/profile', { body: { auth: refreshed.body.AUTH_ID } })
    expect((profile.body.result as { ID: string, ADMIN: boolean }).ID).toBe('2')
    expect((await call('/emulator/refresh-auth', { body: { refreshToken: 'bogus' } })).status).toBe(401)
  })

  it('/oauth/token/ answers like oauth.bitrix.info', async () => {
    const session = await call('/emulator/frame-session', { body: { userId: 1 } })
    const form = `grant_type=refresh_token&client_id=local.invoice-desk&client_secret=demo-client-secret&refresh_token=${String(session.body.REFRESH_ID)}`
    const token = await call('/oauth/token/', { form })
    expect(Object.keys(token.body).sort()).toEqual(['access_token', 'client_endpoint', 'domain', 'expires', 'expires_in', 'member_id', 'refresh_token', 'scope', 'server_endpoint', 'status', 'user_id'])
    expect((await call('/oauth/token/', { form: form.replace('demo-client-secret', 'x') })).body.error).toBe('invalid_client')
  })

  it('CORS: echoes the origin and answers preflight', async () => {
    const preflight = await call(hook('profile'), { method: 'OPTIONS', headers: { 'origin': 'http://127.0.0.1:4173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:4173')
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type')
  })
})

describe('permissions and app context', () => {
  it('a manager cannot read a colleague\'s deal; the accountant reads everything', async () => {
    const manager = await appToken(2)
    const foreignDeal = emulator.state.entities[2].items.find(deal => deal.assignedById === 3)
    const denied = await call('/rest/crm.item.get', { body: { entityTypeId: 2, id: foreignDeal?.id, auth: manager } })
    expect([denied.status, denied.body.error]).toEqual([400, 'ACCESS_DENIED'])
    const accountant = await appToken(4)
    const all = await call('/rest/crm.item.list', { body: { entityTypeId: 31, auth: accountant } })
    expect(all.body.total).toBe(emulator.state.entities[31].items.length)
  })

  it('placement.bind is admin-only; app.option.set refuses non-admins; a webhook without the placement scope gets insufficient_scope', async () => {
    const manager = await appToken(2)
    const bind = await call('/rest/placement.bind', { body: { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: 'http://x/', auth: manager } })
    expect([bind.status, bind.body.error]).toEqual([403, 'ACCESS_DENIED'])
    const option = await call('/rest/app.option.set', { body: { options: { a: 1 }, auth: manager } })
    expect([option.status, option.body.error]).toEqual([400, 'AccessException'])
    const viaHook = await call(hook('placement.get'), { body: {} })
    expect([viaHook.status, viaHook.body.error]).toEqual([403, 'insufficient_scope'])
  })

  it('the webhook has the default scopes: scope answers them, bizproc is insufficient_scope, the app token has bizproc', async () => {
    const scopes = await call(hook('scope'), { body: {} })
    expect(scopes.body.result).toEqual(['basic', 'crm', 'im', 'task', 'user_basic'])
    const start = await call(hook('bizproc.workflow.template.list'), { body: {} })
    expect([start.status, start.body.error]).toEqual([403, 'insufficient_scope'])
    const admin = await appToken(1)
    const viaApp = await call('/rest/scope', { body: { auth: admin } })
    expect(viaApp.body.result).toContain('bizproc')
  })

  it('crm.documentgenerator.template.list refuses a manager (no template right) and answers the admin', async () => {
    const manager = await call('/rest/crm.documentgenerator.template.list', { body: { auth: await appToken(2) } })
    expect([manager.status, manager.body.error, manager.body.error_description]).toEqual([400, '', 'You do not have permissions to modify templates'])
    const admin = await call('/rest/crm.documentgenerator.template.list', { body: { auth: await appToken(1) } })
    expect(admin.status).toBe(200)
  })

  it('user.get ACTIVE true leaves a dismissed employee out, as a boolean and as the string a batch sends', async () => {
    const dismissed = { ...emulator.state.users[1]!, id: 99, name: 'Уволенный', active: false }
    emulator.state.users.push(dismissed)
    try {
      const all = await call(hook('user.get'), { body: {} })
      expect((all.body.result as Array<{ ID: string }>).map(user => user.ID)).toContain('99')
      const json = await call(hook('user.get'), { body: { FILTER: { ACTIVE: true } } })
      expect((json.body.result as Array<{ ID: string }>).map(user => user.ID)).not.toContain('99')
      const batch = await call(hook('batch'), { body: { cmd: { users: 'user.get?FILTER[ACTIVE]=true' } } })
      const rows = ((batch.body.result as { result: Record<string, Array<{ ID: string }>> }).result.users ?? [])
      expect(rows.map(user => user.ID)).toEqual(['1', '2', '3', '4'])
    }
    finally {
      emulator.state.users.pop()
    }
  })

  it('POST /emulator/plan basic: crm.type.add is CREATE_DYNAMIC_TYPE_RESTRICTED; professional again allows it', async () => {
    const admin = await appToken(1)
    expect((await call('/emulator/plan', { body: { plan: 'basic' } })).body).toEqual({ plan: 'basic' })
    try {
      const refused = await call('/rest/crm.type.add', { body: { auth: admin, fields: { title: 'Журнал', entityTypeId: 1030 } } })
      expect([refused.status, refused.body.error]).toEqual([400, 'CREATE_DYNAMIC_TYPE_RESTRICTED'])
    }
    finally {
      await call('/emulator/plan', { body: { plan: 'professional' } })
    }
    expect((await call('/emulator/plan', { body: { plan: 'gold' } })).status).toBe(400)
  })
})

describe('batch over HTTP', () => {
  it('answers PHP-style empty arrays and per-command errors', async () => {
    const { status, body } = await call(hook('batch'), { body: { halt: 0, cmd: { a: 'crm.item.get?entityTypeId=31&id=1', b: 'crm.item.get?entityTypeId=31&id=99999', c: 'batch?cmd[x]=profile' } } })
    expect(status).toBe(200)
    const result = body.result as Record<string, Record<string, unknown>>
    expect(Object.keys(result.result ?? {})).toEqual(['a'])
    expect(result.result_error?.b).toEqual({ error: 'NOT_FOUND', error_description: 'Item not found' })
    expect((result.result_error?.c as { error: string }).error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED')
    expect(result.result_total).toEqual([])
    expect(result.result_next).toEqual([])
  })

  it('halt stops at the first failure; more than 50 commands is refused', async () => {
    const halted = await call(hook('batch'), { body: { halt: 1, cmd: ['crm.item.get?entityTypeId=31&id=99999', 'profile'] } })
    const result = halted.body.result as Record<string, unknown>
    expect(result.result).toEqual([])
    expect(Object.keys(result.result_error as object)).toEqual(['0'])
    const tooLong = await call(hook('batch'), { body: { cmd: Array.from({ length: 51 }, () => 'profile') } })
    expect([tooLong.status, tooLong.body.error]).toEqual([400, 'ERROR_BATCH_LENGTH_EXCEEDED'])
  })
})

describe('control API', () => {
  it('info, deals and deal details', async () => {
    const info = (await call('/emulator/info')).body
    expect(info.installed).toBe(true)
    expect((info.users as { role: string }[]).map(user => user.role)).toEqual(['admin', 'manager', 'manager', 'accountant'])
    const deals = (await call('/emulator/deals?userId=2')).body as unknown as { assignedById: number, id: number }[]
    expect(deals.every(deal => deal.assignedById === 2)).toBe(true)
    const detail = (await call(`/emulator/deals/${String(deals[0]?.id)}`)).body
    expect(Object.keys(detail)).toEqual(expect.arrayContaining(['id', 'title', 'stageName', 'clientName', 'assignedName', 'companyId', 'contactId', 'invoices']))
  })

  it('frame-session gives getInitData; install mode only while not installed', async () => {
    const init = (await call('/emulator/frame-session', { body: { userId: 1, placement: 'CRM_DEAL_DETAIL_TAB', placementOptions: { ID: '3' } } })).body
    expect(init).toMatchObject({ PATH: '/rest/', AUTH_EXPIRES: '3600', PROTOCOL: 0, INSTALL: false, FIRST_RUN: false, IS_ADMIN: true, PLACEMENT: 'CRM_DEAL_DETAIL_TAB', PLACEMENT_OPTIONS: { ID: '3' } })
  })

  it('faults: the next N calls fail, also inside batch', async () => {
    await call('/emulator/faults', { body: { method: 'profile', times: 2, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'boom' } })
    expect((await call(hook('profile'), { body: {} })).status).toBe(500)
    const inBatch = await call(hook('batch'), { body: { cmd: { p: 'profile' } } })
    expect(((inBatch.body.result as Record<string, Record<string, unknown>>).result_error?.p as { error: string }).error).toBe('INTERNAL_SERVER_ERROR')
    expect((await call(hook('profile'), { body: {} })).status).toBe(200)
  })

  it('faults: drop destroys the socket', async () => {
    await call('/emulator/faults', { body: { method: 'profile', times: 1, kind: 'drop' } })
    await expect(call(hook('profile'), { body: {} })).rejects.toThrow()
    expect((await call(hook('profile'), { body: {} })).status).toBe(200)
  })

  it('faults: timeout hangs until the client gives up', async () => {
    await call('/emulator/faults', { body: { method: 'profile', times: 1, kind: 'timeout' } })
    const hanging = fetch(`${emulator.url}${hook('profile')}`, { method: 'POST', signal: AbortSignal.timeout(300) })
    await expect(hanging).rejects.toThrow()
  })

  it('clock and reset regenerate data relative to the new now', async () => {
    await call('/emulator/clock', { body: { now: '2027-01-10T09:00:00Z' } })
    expect(((await call('/emulator/clock')).body.now as string).slice(0, 10)).toBe('2027-01-10')
    await call('/emulator/reset', { body: { data: 'empty' } })
    expect(emulator.state.entities[31].items).toHaveLength(0)
    expect((await call('/emulator/info')).body.installed).toBe(false)
    await call('/emulator/reset', { body: { data: 'demo' } })
    const added = await call(hook('crm.item.add'), { body: { entityTypeId: 31, fields: { title: 'x' } } })
    expect((added.body.result as { item: { createdTime: string } }).item.createdTime.slice(0, 10)).toBe('2027-01-10')
    expect(emulator.state.entities[31].items.some(invoice => String(invoice.begindate).startsWith('2026-1'))).toBe(true)
  })

  it('stats count HTTP requests, methods and batch commands', async () => {
    await call('/emulator/stats/reset', { body: {} })
    await call(hook('profile'), { body: {} })
    await call(hook('batch'), { body: { cmd: ['profile', 'app.info'] } })
    expect((await call('/emulator/stats')).body).toMatchObject({ httpRequests: 2, restRequests: { profile: 1, batch: 1 }, batchCommands: 2 })
  })
})
