// A local application with a server against the emulator: install callback, OAuth, events (online and offline),
// robots on deal stages, bizproc.event.send. The real SDK for REST, a plain node http server as the app's server.
import type { B24OAuth } from '@bitrix24/b24jssdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from '../control/oauth-token.ts'
import { startEmulator, type RunningEmulator } from '../server.ts'
import { call, control, hookCall, oauthFromInstall, startFakeAppServer, type FakeAppServer } from './app-server-support.ts'

describe('application with a server (demo, limits off)', () => {
  let emulator: RunningEmulator
  let app: FakeAppServer
  let admin: B24OAuth
  let installAuth: Record<string, string>
  let applicationToken: string

  beforeAll(async () => {
    app = await startFakeAppServer()
    emulator = await startEmulator({ data: 'demo', limits: 'off', appServerUrl: app.url, webhookScopes: ['crm', 'bizproc', 'user_basic'] })
    const installed = await control<{ delivered: boolean, url: string }>(emulator, '/emulator/app-server/install', { userId: 1 })
    expect(installed.body).toMatchObject({ delivered: true, url: `${app.url}/install` })
    const [post] = await app.waitFor(entry => entry.body.event === 'ONAPPINSTALL')
    installAuth = post?.body.auth as Record<string, string>
    applicationToken = (await control<{ applicationToken: string }>(emulator, '/emulator/app-server')).body.applicationToken
    admin = oauthFromInstall(emulator, installAuth)
  })
  afterAll(async () => {
    await emulator.close()
    await app.close()
  })

  const robotCalls = async (dealId: number) => (await control<{ callId: number, eventToken: string, state: string, delivery: string, stageId: string, returnValues: unknown }[]>(emulator, `/emulator/robots/calls?dealId=${dealId}`)).body

  it('sends ONAPPINSTALL form-encoded to the install path with tokens that act as the admin in application context', async () => {
    const post = app.posts.find(entry => entry.body.event === 'ONAPPINSTALL')
    expect(post?.path).toBe('/install')
    expect(post?.contentType).toBe('application/x-www-form-urlencoded')
    expect(post?.raw).toContain('auth%5Bapplication_token%5D=')
    expect(post?.body.data).toEqual({ VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'ru' })
    expect(Number(post?.body.ts)).toBeGreaterThan(1_700_000_000)
    expect(Object.keys(installAuth).sort()).toEqual(['access_token', 'application_token', 'client_endpoint', 'domain', 'expires', 'expires_in', 'member_id', 'refresh_token', 'scope', 'server_endpoint', 'status', 'user_id'])
    expect(installAuth.application_token).toBe(applicationToken)
    expect(installAuth.user_id).toBe('1')
    expect((await call(admin, 'app.option.set', { options: { mode: 'service' } })).result).toBe(true)
    expect((await call(admin, 'app.option.get', { option: 'mode' })).result).toBe('service')
  })

  it('refreshes an expired token at /oauth/token/; a used refresh token is invalid_grant', async () => {
    const own = oauthFromInstall(emulator, (await app.waitFor(entry => entry.body.event === 'ONAPPINSTALL'))[0]?.body.auth as Record<string, string>)
    await control(emulator, '/emulator/expire-tokens', {})
    const expired = await fetch(`${emulator.url}/rest/profile.json?auth=${installAuth.access_token}`)
    expect(expired.status).toBe(401)
    expect(((await expired.json()) as { error: string }).error).toBe('expired_token')
    const refreshed = await fetch(`${emulator.url}/oauth/token/?grant_type=refresh_token&client_id=${OAUTH_CLIENT_ID}&client_secret=${OAUTH_CLIENT_SECRET}&refresh_token=${installAuth.refresh_token}`)
    const tokens = await refreshed.json() as { access_token: string, refresh_token: string, user_id: number }
    expect(refreshed.status).toBe(200)
    expect(tokens.user_id).toBe(1)
    const again = await fetch(`${emulator.url}/oauth/token/?grant_type=refresh_token&client_id=${OAUTH_CLIENT_ID}&client_secret=${OAUTH_CLIENT_SECRET}&refresh_token=${installAuth.refresh_token}`)
    expect(again.status).toBe(400)
    expect(((await again.json()) as { error: string }).error).toBe('invalid_grant')
    expect((await call(own, 'app.option.get', { option: 'mode' })).error).toBeDefined()
    admin = oauthFromInstall(emulator, { ...installAuth, access_token: tokens.access_token, refresh_token: tokens.refresh_token, expires: String(Math.floor(Date.now() / 1000) + 3600) })
    expect((await call(admin, 'app.option.get', { option: 'mode' })).result).toBe('service')
  })

  it('event.bind is refused to a webhook; a deal update reaches the bound handler with data[FIELDS][ID] and the application token', async () => {
    expect((await hookCall(emulator, 'event.bind', { event: 'ONCRMDEALUPDATE', handler: `${app.url}/events` })).error).toBe('WRONG_AUTH_TYPE')
    expect((await call(admin, 'event.bind', { event: 'ONCRMDEALNOPE', handler: `${app.url}/events` })).error).toBe('ERROR_EVENT_NOT_FOUND')
    expect((await call(admin, 'event.bind', { event: 'onCrmDealUpdate', handler: `${app.url}/events` })).result).toBe(true)
    expect((await call(admin, 'event.bind', { event: 'ONCRMDEALUPDATE', handler: `${app.url}/events` })).error).toBe('ERROR_HANDLER_ALREADY_BINDED')
    expect((await call(admin, 'event.get')).result).toEqual([{ event: 'ONCRMDEALUPDATE', handler: `${app.url}/events`, auth_type: '0', offline: 0 }])
    const dealId = 1
    expect((await hookCall(emulator, 'crm.item.update', { entityTypeId: 2, id: dealId, fields: { title: 'Новое имя' } })).result).toBeDefined()
    const [post] = await app.waitFor(entry => entry.path === '/events' && entry.body.data?.FIELDS?.ID === String(dealId))
    expect(post?.body.event).toBe('ONCRMDEALUPDATE')
    expect(Object.keys(post?.body.auth ?? {}).sort()).toEqual(['access_token', 'application_token', 'client_endpoint', 'domain', 'expires_in', 'member_id', 'scope', 'server_endpoint', 'status'])
    // Everything but application_token is what anyone who knows the portal could forge.
    expect(post?.body.auth.application_token).toBe(applicationToken)
    await control(emulator, '/emulator/app-server/idle')
    const journal = (await control<{ details: { event: string, delivery: string } }[]>(emulator, '/emulator/journal?kind=events')).body
    expect(journal[0]?.details).toMatchObject({ event: 'ONCRMDEALUPDATE', delivery: 'delivered' })
    expect((await call(admin, 'event.unbind', { event: 'ONCRMDEALUPDATE', handler: `${app.url}/events` })).result).toEqual({ count: 1 })
  })

  it('an unreachable app server: the online delivery fails and is journaled, the offline queue still has the event', async () => {
    expect((await call(admin, 'event.bind', { event: 'ONCRMDEALUPDATE', handler: `${app.url}/events` })).result).toBe(true)
    expect((await call(admin, 'event.bind', { event: 'ONCRMDEALUPDATE', handler: `${app.url}/offline`, event_type: 'offline' })).result).toBe(true)
    await control(emulator, '/emulator/app-server/reachable', { reachable: false })
    const before = app.posts.length
    const dealId = 2
    await call(admin, 'crm.item.update', { entityTypeId: 2, id: dealId, fields: { title: 'A' } })
    await call(admin, 'crm.item.update', { entityTypeId: 2, id: dealId, fields: { title: 'B' } })
    await control(emulator, '/emulator/app-server/idle')
    expect(app.posts.length).toBe(before)
    const journal = (await control<{ details: { event: string, delivery: string, error: string } }[]>(emulator, '/emulator/journal?kind=events')).body
    expect(journal.filter(entry => entry.details.delivery === 'failed')).toHaveLength(2)
    const reserved = await call<{ process_id: string, events: { EVENT_NAME: string, EVENT_DATA: { FIELDS: { ID: number } }, MESSAGE_ID: string }[] }>(admin, 'event.offline.get', { clear: 0 })
    // The queue keeps one record per changed object.
    expect(reserved.result?.events).toHaveLength(1)
    expect(reserved.result?.events[0]).toMatchObject({ EVENT_NAME: 'ONCRMDEALUPDATE', EVENT_DATA: { FIELDS: { ID: dealId } } })
    expect((await call(admin, 'event.offline.get', {})).result).toEqual({ process_id: null, events: [] })
    // event.offline.error sets a record aside: only `error: 1` returns it again.
    expect((await call(admin, 'event.offline.error', { process_id: reserved.result?.process_id, message_id: [reserved.result?.events[0]?.MESSAGE_ID] })).result).toBe(true)
    expect((await call(admin, 'event.offline.get', { clear: 0 })).result).toEqual({ process_id: expect.any(String), events: [] })
    const erroneous = await call<{ process_id: string, events: unknown[] }>(admin, 'event.offline.get', { clear: 0, error: 1 })
    expect(erroneous.result?.events).toHaveLength(1)
    expect((await call(admin, 'event.offline.clear', { process_id: erroneous.result?.process_id })).result).toBe(true)
    expect((await call<unknown[]>(admin, 'event.offline.list', {})).result).toEqual([])
    expect(await call(admin, 'event.offline.clear', {})).toMatchObject({ error: 'ERROR_ARGUMENT', status: 400 })
    const managerSession = (await control<{ AUTH_ID: string }>(emulator, '/emulator/frame-session', { userId: 2 })).body
    const manager = oauthFromInstall(emulator, { ...installAuth, access_token: managerSession.AUTH_ID, user_id: '2', expires: String(Math.floor(Date.now() / 1000) + 3600) })
    expect(await call(manager, 'event.offline.get', {})).toMatchObject({ error: 'ACCESS_DENIED', status: 403 })
    expect(await call(manager, 'event.bind', { event: 'ONCRMDEALUPDATE', handler: `${app.url}/m`, event_type: 'offline' })).toMatchObject({ error: 'ACCESS_DENIED', status: 403 })
    expect(await call(manager, 'event.bind', { event: 'ONCRMDEALUPDATE', handler: `${app.url}/m`, auth_type: 1 })).toMatchObject({ error: 'ACCESS_DENIED', status: 403 })
    expect((await call(manager, 'event.get')).result).toEqual([])
    await control(emulator, '/emulator/app-server/reachable', { reachable: true })
    await call(admin, 'event.unbind', { event: 'ONCRMDEALUPDATE', handler: `${app.url}/events` })
    await call(admin, 'event.unbind', { event: 'ONCRMDEALUPDATE', handler: `${app.url}/offline`, event_type: 'offline' })
  })

  it('bizproc.robot.*: application context and admin only, with the documented validation', async () => {
    const robot = {
      CODE: 'invoice_desk_issue', HANDLER: `${app.url}/robot`, AUTH_USER_ID: 1, USE_SUBSCRIPTION: 'Y',
      NAME: { ru: 'Invoice Desk: выставить и отправить счёт', en: 'Invoice Desk: issue and send the invoice' },
      PROPERTIES: { purpose: { Name: 'Назначение', Type: 'string', Default: 'deal' } },
      RETURN_PROPERTIES: { invoiceId: { Name: 'Счёт', Type: 'int' }, outcome: { Name: 'Итог', Type: 'string' } },
      DOCUMENT_TYPE: ['crm', 'CCrmDocumentDeal', 'DEAL'], FILTER: { INCLUDE: [['crm', 'CCrmDocumentDeal']] },
    }
    expect(await hookCall(emulator, 'bizproc.robot.add', robot)).toMatchObject({ error: 'ACCESS_DENIED', status: 400 })
    expect((await call(admin, 'bizproc.robot.add', { ...robot, CODE: 'bad code' })).error).toBe('ERROR_ACTIVITY_VALIDATION_FAILURE')
    expect((await call(admin, 'bizproc.robot.add', { ...robot, HANDLER: 'https://elsewhere.example/robot' })).error).toBe('ERROR_WRONG_HANDLER_URL')
    expect((await call(admin, 'bizproc.robot.add', { ...robot, HANDLER: 'ftp://127.0.0.1/robot' })).error).toBe('ERROR_UNSUPPORTED_PROTOCOL')
    expect((await call(admin, 'bizproc.robot.add', { ...robot, PROPERTIES: { '1x': { Name: 'x' } } })).description).toContain('Wrong property key 1x!')
    expect((await call(admin, 'bizproc.robot.add', robot)).result).toBe(true)
    expect((await call(admin, 'bizproc.robot.add', robot)).error).toBe('ERROR_ACTIVITY_ALREADY_INSTALLED')
    expect((await call(admin, 'bizproc.robot.list')).result).toEqual(['invoice_desk_issue'])
    expect((await call(admin, 'bizproc.robot.update', { CODE: 'invoice_desk_issue', FIELDS: {} })).description).toContain('No fields to update')
    expect((await call(admin, 'bizproc.robot.update', { CODE: 'nope', FIELDS: { NAME: 'x' } })).error).toBe('ERROR_ACTIVITY_NOT_FOUND')
    expect((await call(admin, 'bizproc.robot.delete', { CODE: 'nope' })).error).toBe('ERROR_ACTIVITY_NOT_FOUND')
    const managerSession = (await control<{ AUTH_ID: string }>(emulator, '/emulator/frame-session', { userId: 2 })).body
    const managerClient = oauthFromInstall(emulator, { ...installAuth, access_token: managerSession.AUTH_ID, user_id: '2', expires: String(Math.floor(Date.now() / 1000) + 3600) })
    expect(await call(managerClient, 'bizproc.robot.list')).toMatchObject({ error: 'ACCESS_DENIED', status: 400 })
  })

  it('a placed robot runs when a deal enters its stage (not on other updates), again on re-entry; redeliver repeats the token; event.send completes once', async () => {
    const placed = await control<{ id: number }>(emulator, '/emulator/robots/placed', { categoryId: 0, stageId: 'FINAL_INVOICE', code: 'invoice_desk_issue', properties: {} })
    expect(placed.status).toBe(200)
    const dealId = 29
    expect(emulator.state.entities[2].byId.get(dealId)).toMatchObject({ stageId: 'PREPAYMENT_INVOICE', assignedById: 2 })
    await call(admin, 'crm.item.update', { entityTypeId: 2, id: dealId, fields: { comments: 'не стадия' } })
    await control(emulator, '/emulator/app-server/idle')
    expect(await robotCalls(dealId)).toHaveLength(0)
    // The manager moves the deal in the host page: the same path as crm.item.update.
    expect((await control(emulator, `/emulator/deals/${dealId}/stage`, { userId: 2, stageId: 'FINAL_INVOICE' })).status).toBe(200)
    expect((await control(emulator, `/emulator/deals/${dealId}/stage`, { userId: 2, stageId: 'FINAL_INVOICE' })).status).toBe(409)
    const [first] = await app.waitFor(entry => entry.path === '/robot' && entry.body.document_id?.[2] === `DEAL_${dealId}`)
    expect(first?.body).toMatchObject({
      code: 'invoice_desk_issue', document_id: ['crm', 'CCrmDocumentDeal', `DEAL_${dealId}`], document_type: ['crm', 'CCrmDocumentDeal', 'DEAL'],
      properties: { purpose: 'deal' }, use_subscription: 'Y', timeout_duration: '0', auth: { application_token: applicationToken, user_id: '1' },
    })
    expect(first?.body.workflow_id).toMatch(/^[0-9a-f]{14}\.\d{8}$/)
    await call(admin, 'crm.item.update', { entityTypeId: 2, id: dealId, fields: { stageId: 'EXECUTING' } })
    await call(admin, 'crm.item.update', { entityTypeId: 2, id: dealId, fields: { stageId: 'FINAL_INVOICE' } })
    const runs = await app.waitFor(entry => entry.path === '/robot' && entry.body.document_id?.[2] === `DEAL_${dealId}`, 2)
    expect(runs[1]?.body.event_token).not.toBe(runs[0]?.body.event_token)
    expect(runs[1]?.body.workflow_id).not.toBe(runs[0]?.body.workflow_id)
    const calls = await robotCalls(dealId)
    expect(calls.map(entry => entry.state)).toEqual(['waiting', 'waiting'])
    const firstCall = calls[1]
    const redelivered = await control<{ delivered: boolean }>(emulator, '/emulator/robots/redeliver', { callId: firstCall?.callId })
    expect(redelivered.body.delivered).toBe(true)
    const repeats = app.posts.filter(entry => entry.path === '/robot' && entry.body.event_token === first?.body.event_token)
    expect(repeats).toHaveLength(2)
    expect(repeats[1]?.raw).toBe(repeats[0]?.raw)
    const sent = await call(admin, 'bizproc.event.send', { EVENT_TOKEN: first?.body.event_token, RETURN_VALUES: { invoiceId: 77, outcome: 'issued', extra: 'x' }, LOG_MESSAGE: 'Счёт выставлен' })
    expect(sent.result).toBe(true)
    expect(await call(admin, 'bizproc.event.send', { EVENT_TOKEN: first?.body.event_token, RETURN_VALUES: {} })).toMatchObject({ error: 'ACCESS_DENIED', status: 403 })
    expect(await call(admin, 'bizproc.event.send', { EVENT_TOKEN: 'forged|token' })).toMatchObject({ error: 'ACCESS_DENIED', status: 403 })
    expect((await hookCall(emulator, 'bizproc.event.send', { EVENT_TOKEN: runs[1]?.body.event_token })).error).toBe('ACCESS_DENIED')
    const after = await robotCalls(dealId)
    expect(after.find(entry => entry.callId === firstCall?.callId)).toMatchObject({ state: 'answered', returnValues: { invoiceId: 77, outcome: 'issued' } })
    const journal = (await control<{ kind: string, details: { callId: number, state: string, logMessage: string } }[]>(emulator, '/emulator/journal?kind=robots')).body
    expect(journal.find(entry => entry.details.callId === firstCall?.callId)?.details).toMatchObject({ state: 'answered', logMessage: 'Счёт выставлен' })
  })

  it('an unreachable server: the robot call is journaled as a failed delivery and a redelivery later reaches it', async () => {
    await control(emulator, '/emulator/app-server/reachable', { reachable: false })
    const dealId = 9
    await call(admin, 'crm.item.update', { entityTypeId: 2, id: dealId, fields: { stageId: 'FINAL_INVOICE' } })
    await control(emulator, '/emulator/app-server/idle')
    const [failed] = await robotCalls(dealId)
    expect(failed).toMatchObject({ state: 'waiting', delivery: 'failed' })
    await control(emulator, '/emulator/app-server/reachable', { reachable: true })
    const retried = await control<{ delivered: boolean, delivery: string }>(emulator, '/emulator/robots/redeliver', { callId: failed?.callId })
    expect(retried.body).toMatchObject({ delivered: true, delivery: 'delivered' })
    await control(emulator, '/emulator/robots/placed', { categoryId: 0, stageId: 'FINAL_INVOICE' }, 'DELETE')
    expect((await control<unknown[]>(emulator, '/emulator/robots/placed')).body).toEqual([])
  })

  it('crm.deal.update with STAGE_ID enters the stage the same way and raises ONCRMDEALUPDATE; its errors have an empty code', async () => {
    await control(emulator, '/emulator/robots/placed', { categoryId: 0, stageId: 'WON', code: 'invoice_desk_issue', properties: { purpose: 'won' } })
    expect((await call(admin, 'event.bind', { event: 'ONCRMDEALUPDATE', handler: `${app.url}/events` })).result).toBe(true)
    const dealId = 21
    expect((await call(admin, 'crm.deal.update', { id: dealId, fields: { STAGE_ID: 'WON', NOT_A_FIELD: 1 } })).result).toBe(true)
    const [robotPost] = await app.waitFor(entry => entry.path === '/robot' && entry.body.document_id?.[2] === `DEAL_${dealId}`)
    expect(robotPost?.body.properties).toEqual({ purpose: 'won' })
    await app.waitFor(entry => entry.path === '/events' && entry.body.data?.FIELDS?.ID === String(dealId))
    expect(emulator.state.entities[2].byId.get(dealId)?.stageId).toBe('WON')
    expect(await hookCall(emulator, 'crm.deal.update', { id: 99999, fields: { TITLE: 'x' } })).toMatchObject({ error: '', description: 'Not found', status: 400 })
    expect(await hookCall(emulator, 'crm.deal.update', { id: 0 })).toMatchObject({ error: '', description: 'ID is not defined or invalid' })
    await call(admin, 'event.unbind', { event: 'ONCRMDEALUPDATE', handler: `${app.url}/events` })
    await control(emulator, '/emulator/robots/placed', { categoryId: 0 }, 'DELETE')
  })
})
