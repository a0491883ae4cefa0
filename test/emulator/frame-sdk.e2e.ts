// Fidelity of the emulator's iframe protocol and REST, proven with the REAL @bitrix24/b24jssdk (UMD build)
// running inside an app frame of the host page, in Debian Chromium.
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Browser, Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, serveStatic } from '../support/chromium.ts'
import type { StaticServer } from '../support/chromium.ts'
import { startEmulator } from './server.ts'

const PROBE_DIR = fileURLToPath(new URL('../fixtures/sdk-probe/', import.meta.url))
const SDK_UMD = fileURLToPath(new URL('../../node_modules/@bitrix24/b24jssdk/dist/umd/index.min.js', import.meta.url))
const ARTIFACTS = fileURLToPath(new URL('../../.e2e-artifacts/', import.meta.url))

interface ProbeResult<T = unknown> {
  ok: boolean
  data: T
  error?: { code?: string, status?: number, message: string, description?: string }
}
interface Deal { id: number | string, title: string, assignedById: number | string }

let probe: StaticServer
let emulator: Awaited<ReturnType<typeof startEmulator>>
let origin: string
let browser: Browser

async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(origin + path, body === undefined
    ? {}
    : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  const text = await res.text()
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`)
  return (text ? JSON.parse(text) : null) as T
}

/** Calls window.probe[name](...args) inside the app frame. */
async function probeCall<T = unknown>(frame: Frame, name: string, ...args: unknown[]): Promise<ProbeResult<T>> {
  return frame.evaluate(([n, a]) => {
    const p = (window as unknown as { probe: Record<string, (...x: unknown[]) => Promise<unknown>> }).probe
    return p[n as string]!(...(a as unknown[]))
  }, [name, args] as const) as Promise<ProbeResult<T>>
}

/** Opens a portal page, waits for the app frame (by placement) and the SDK inside it. */
async function openAppFrame(page: Page, path: string, placement: string): Promise<Frame> {
  await page.goto(origin + path)
  const handle = await page.waitForSelector(`[data-testid="app-frame"][data-placement="${placement}"]`, { timeout: 20_000 })
  const frame = await handle.contentFrame()
  if (!frame) throw new Error('app frame has no content')
  await frame.waitForFunction(() => 'probe' in window, undefined, { timeout: 20_000 })
  const ready = await probeCall(frame, 'ready')
  expect(ready.ok, JSON.stringify(ready.error)).toBe(true)
  return frame
}

let dealId = ''

beforeAll(async () => {
  probe = await serveStatic(PROBE_DIR, { files: { '/vendor/b24jssdk.umd.js': SDK_UMD } })
  emulator = await startEmulator({ port: 0, appUrl: probe.url, data: 'large:1234', limits: 'cloud' })
  origin = emulator.origin
  browser = await launchChromium()
  await mkdir(ARTIFACTS, { recursive: true })

  // Install the app the way a real app does: bind the deal tab from the DEFAULT page, then installFinish.
  const page = await browser.newPage()
  const frame = await openAppFrame(page, '/marketplace/app/?user=1', 'DEFAULT')
  const placements = await api<{ placement: string }[]>('/emulator/placements')
  if (!placements.some(p => p.placement === 'CRM_DEAL_DETAIL_TAB')) {
    const bound = await probeCall(frame, 'call', 'placement.bind', { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: probe.url, TITLE: 'SDK probe' })
    expect(bound.ok, JSON.stringify(bound.error)).toBe(true)
  }
  const info = await probeCall<{ isInstallMode: boolean }>(frame, 'initInfo')
  if (info.data.isInstallMode) {
    const reloaded = page.waitForURL(/install_finished=Y/)
    void probeCall(frame, 'installFinish').catch(() => undefined) // the parent reloads instead of replying
    await reloaded
  }
  expect((await api<{ installed: boolean }>('/emulator/info')).installed).toBe(true)
  await page.close()

  const deals = await api<Deal[]>('/emulator/deals?userId=1')
  dealId = String(deals[0]!.id)
})

afterAll(async () => {
  await browser?.close()
  await emulator?.close()
  await probe?.close()
})

describe('the real SDK inside the deal card tab', () => {
  let page: Page
  let frame: Frame

  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
    frame = await openAppFrame(page, `/crm/deal/details/${dealId}/?user=1&tab=app`, 'CRM_DEAL_DETAIL_TAB')
  })
  afterAll(async () => {
    await page?.close()
  })

  it('receives the init data: placement, options, language', async () => {
    const info = await probeCall<{ placement: string, options: Record<string, string>, lang: string, isAdmin: boolean, targetOrigin: string, windowName: string }>(frame, 'initInfo')
    expect(info.data.placement).toBe('CRM_DEAL_DETAIL_TAB')
    expect(info.data.options).toMatchObject({ ID: dealId })
    expect(info.data.lang).toBe('ru')
    expect(info.data.isAdmin).toBe(true)
    expect(info.data.targetOrigin).toBe(origin)
    expect(info.data.windowName.split('|')).toHaveLength(3)
    // The app was loaded by a form POST carrying the query Bitrix24 sends.
    const post = probe.requests.find(r => r.method === 'POST' && r.path.includes('APP_SID='))
    expect(post?.path).toMatch(/DOMAIN=.*PROTOCOL=0.*LANG=ru.*APP_SID=/)

    await page.screenshot({ path: `${ARTIFACTS}deal-card-probe.png` })
  })

  it('lists 1,234 invoices with callList in exactly 25 list requests', async () => {
    await api('/emulator/stats/reset', {})
    const r = await probeCall<{ count: number, ids: (string | number)[] }>(frame, 'callList', {
      method: 'crm.item.list', params: { entityTypeId: 31, select: ['id'] }, idKey: 'id', customKeyForResult: 'items',
    })
    expect(r.ok, JSON.stringify(r.error)).toBe(true)
    expect(r.data.count).toBe(1234)
    expect(new Set(r.data.ids.map(String)).size).toBe(1234)
    const stats = await api<{ restRequests: Record<string, number> }>('/emulator/stats')
    expect(stats.restRequests['crm.item.list']).toBe(25)
  })

  it('resolves a batch with a $result[...] reference', async () => {
    const r = await probeCall<{ isSuccess: boolean, data: Record<string, unknown> }>(frame, 'batch', {
      list: { method: 'crm.item.list', params: { entityTypeId: 31, select: ['id', 'title'], order: { id: 'ASC' } } },
      one: { method: 'crm.item.get', params: { entityTypeId: 31, id: '$result[list][items][0][id]' } },
    })
    expect(r.ok, JSON.stringify(r.error)).toBe(true)
    expect(r.data.isSuccess).toBe(true)
    const json = JSON.stringify(r.data.data)
    const list = (r.data.data.list ?? {}) as { items?: { id: number }[] }
    const one = (r.data.data.one ?? {}) as { item?: { id: number } }
    expect(list.items?.[0]?.id, json).toBeDefined()
    expect(one.item?.id, json).toBe(list.items?.[0]?.id)
  })

  it('surfaces NOT_FOUND and ACCESS_DENIED as SDK errors', async () => {
    const missing = await probeCall<{ errors?: { code: string }[] }>(frame, 'call', 'crm.item.get', { entityTypeId: 31, id: 987654321 })
    const missingCode = missing.ok ? missing.data.errors?.[0]?.code : missing.error?.code
    expect(missingCode, JSON.stringify(missing)).toBe('NOT_FOUND')

    await api('/emulator/faults', { method: 'crm.item.get', times: 1, kind: 'error', status: 400, code: 'ACCESS_DENIED', description: 'Access denied' })
    const denied = await probeCall<{ errors?: { code: string }[] }>(frame, 'call', 'crm.item.get', { entityTypeId: 31, id: 1 })
    const deniedCode = denied.ok ? denied.data.errors?.[0]?.code : denied.error?.code
    expect(deniedCode, JSON.stringify(denied)).toBe('ACCESS_DENIED')
  })

  it('refreshes an expired token through the parent (refreshAuth) and retries', async () => {
    const statuses: number[] = []
    const onResponse = (res: { url(): string, status(): number }) => {
      if (res.url().startsWith(origin + '/rest/')) statuses.push(res.status())
    }
    page.on('response', onResponse)
    const before = await probeCall<{ access_token: string }>(frame, 'authData')
    await api('/emulator/expire-tokens', {})
    const r = await probeCall(frame, 'call', 'crm.item.list', { entityTypeId: 31, select: ['id'] })
    page.off('response', onResponse)
    expect(r.ok, JSON.stringify(r.error)).toBe(true)
    expect(statuses).toContain(401)
    expect(statuses.at(-1)).toBe(200)
    const after = await probeCall<{ access_token: string }>(frame, 'authData')
    expect(after.data.access_token).not.toBe(before.data.access_token)
    const log = await page.evaluate(() => (window as unknown as { __host: { log: { command: string, status: string }[] } }).__host.log)
    expect(log.some(e => e.command === 'refreshAuth' && e.status === 'replied')).toBe(true)
  })

  it('answers the UI commands the SDK waits for', async () => {
    const title = await probeCall(frame, 'parent', 'setTitle', 'Invoice: a:b')
    expect(title.data).toEqual({ title: 'Invoice: a:b' })
    expect(await page.textContent('#pagetitle')).toBe('Invoice: a:b')
    const resized = await probeCall<{ width: number, height: number }>(frame, 'parent', 'resizeWindow', 800, 450)
    expect(resized.data.height).toBe(450)
    const iface = await probeCall<{ command: string[] }>(frame, 'getInterface')
    expect(iface.data.command).toContain('reloadData')
    const reload = await probeCall(frame, 'placementCall', 'reloadData')
    expect(reload.data).toBe('')
  })

  it('rejects a message with a wrong APP_SID and answers the right one', async () => {
    const info = await probeCall<{ appSid: string }>(frame, 'initInfo')
    await frame.evaluate(() => (window as unknown as { probe: { rawPost(d: string): void } }).probe.rawPost('getInitData:cb-wrong:WRONGSID'))
    await frame.evaluate(sid => (window as unknown as { probe: { rawPost(d: string): void } }).probe.rawPost(`getInitData:cb-right:${sid}`), info.data.appSid)
    await page.waitForTimeout(500)
    const messages = await frame.evaluate(() => (window as unknown as { probe: { messages(): { data: string }[] } }).probe.messages())
    expect(messages.some(m => m.data.startsWith('cb-wrong:'))).toBe(false)
    expect(messages.some(m => m.data.startsWith('cb-right:{'))).toBe(true)
    const rejected = await page.locator('[data-testid="protocol-entry"][data-status="rejected"][data-app-sid="WRONGSID"]').count()
    expect(rejected).toBe(1)
  })

  it('serves dialogs and sliders: selectUser, openPath (allowed and not), openApplication/closeApplication', async () => {
    const picked = probeCall<{ id: string, name: string, url: string }>(frame, 'dialog', 'selectUser')
    await page.click('[data-testid="picker-item"] >> nth=1')
    const user = await picked
    expect(user.data).toMatchObject({ id: expect.any(String), name: expect.any(String), url: expect.stringMatching(/^\/company\/personal\/user\/\d+\/$/) })

    const opened = frame.evaluate(id => (window as unknown as { probe: { slider(n: string, ...a: unknown[]): Promise<unknown> } })
      .probe.slider('openPath', new URL(`/crm/deal/details/${id}/`, window.location.href), 1640), dealId)
    await page.waitForSelector('[data-testid="path-frame"]')
    await page.click('[data-testid="path-slider"] [data-testid="slider-close"]')
    expect(((await opened) as ProbeResult).data).toEqual({ isOpenAtNewWindow: false, isClose: true })

    const info = await probeCall<{ appSid: string }>(frame, 'initInfo')
    await frame.evaluate(sid => (window as unknown as { probe: { rawPost(d: string): void } }).probe.rawPost(`openPath:{"path":"/bitrix/admin/"}:cb-path:${sid}`), info.data.appSid)
    await page.waitForTimeout(300)
    const messages = await frame.evaluate(() => (window as unknown as { probe: { messages(): { data: string }[] } }).probe.messages())
    expect(messages.find(m => m.data.startsWith('cb-path:'))?.data).toBe('cb-path:{"result":"error","errorCode":"PATH_NOT_AVAILABLE"}')

    const app = probeCall(frame, 'slider', 'openSliderAppPage', { view: 'pay', bx24_title: 'Pay' })
    const sub = await (await page.waitForSelector('[data-testid="app-slider"] [data-testid="app-frame"][data-placement="DEFAULT"]')).contentFrame()
    await sub!.waitForFunction(() => 'probe' in window)
    const subInfo = await probeCall<{ placement: string, options: Record<string, string> }>(sub!, 'initInfo')
    expect(subInfo.data).toMatchObject({ placement: 'DEFAULT', options: { view: 'pay' } })
    void probeCall(sub!, 'slider', 'closeSliderAppPage').catch(() => undefined)
    expect((await app).ok).toBe(true)
    expect(await page.locator('[data-testid="app-slider"]').count()).toBe(0)
  })

  it('survives a burst of 60+ concurrent calls under cloud limits', async () => {
    // A fresh SDK instance (new page) starts with a full client-side bucket while the portal's bucket is
    // still partly used, so the portal answers some calls with 503 and the SDK retries them.
    const burstPage = await browser.newPage()
    const statuses: number[] = []
    burstPage.on('response', (res) => {
      if (res.url().startsWith(origin + '/rest/')) statuses.push(res.status())
    })
    const burstFrame = await openAppFrame(burstPage, `/crm/deal/details/${dealId}/?user=1&tab=app`, 'CRM_DEAL_DETAIL_TAB')
    const r = await probeCall<{ ok: number, failed: unknown[] }>(burstFrame, 'burst', 60, 'crm.item.list', { entityTypeId: 31, select: ['id'] })
    await burstPage.close()
    expect(r.ok, JSON.stringify(r.error)).toBe(true)
    expect(r.data.failed).toEqual([])
    expect(r.data.ok).toBe(60)
    expect(statuses.filter(s => s === 503).length).toBeGreaterThan(0)
  }, 180_000)
})

describe('the portal shell', () => {
  it('shows the deal list, and the user switcher changes what a manager sees', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    const admin = await api<Deal[]>('/emulator/deals?userId=1')
    await page.goto(`${origin}/crm/deal/list/?user=1`)
    await page.waitForSelector('[data-testid="deal-row"]')
    expect(Number(await page.getAttribute('[data-testid="deal-count"]', 'data-count'))).toBe(admin.length)
    await page.screenshot({ path: `${ARTIFACTS}deal-list.png` })

    const info = await api<{ users: { id: number, role: string }[] }>('/emulator/info')
    const manager = info.users.find(u => u.role === 'manager')!
    const mine = await api<Deal[]>(`/emulator/deals?userId=${manager.id}`)
    expect(mine.length).toBeLessThan(admin.length)
    await Promise.all([page.waitForURL(new RegExp(`user=${manager.id}`)), page.selectOption('[data-testid="user-switcher"]', String(manager.id))])
    await page.waitForSelector('[data-testid="deal-count"]')
    expect(Number(await page.getAttribute('[data-testid="deal-count"]', 'data-count'))).toBe(mine.length)
    const firstTitle = await page.textContent('[data-testid="deal-row"] [data-testid="deal-link"]')
    expect(mine.some(d => d.title === firstTitle)).toBe(true)
    await page.close()
  })

  it('shows an app tab per bound placement, and none once it is unbound (invoice card)', async () => {
    const deal = await api<{ invoices: { id: number }[] }>(`/emulator/deals/${dealId}`)
    const invoiceId = deal.invoices[0]?.id ?? 1
    const bound = (await api<{ placement: string }[]>('/emulator/placements')).filter(p => p.placement === 'CRM_SMART_INVOICE_DETAIL_TAB')
    const page = await browser.newPage()
    await page.goto(`${origin}/crm/type/31/details/${invoiceId}/?user=1`)
    await page.waitForSelector('[data-testid="card-tabs"]')
    expect(await page.locator('[data-testid="app-tab"]').count()).toBe(bound.length)

    if (bound.length > 0) {
      const frame = await openAppFrame(page, '/marketplace/app/?user=1', 'DEFAULT')
      const r = await probeCall(frame, 'call', 'placement.unbind', { PLACEMENT: 'CRM_SMART_INVOICE_DETAIL_TAB' })
      expect(r.ok, JSON.stringify(r.error)).toBe(true)
    }
    await page.goto(`${origin}/crm/type/31/details/${invoiceId}/?user=1&tab=app`)
    await page.waitForSelector('[data-testid="card-tabs"]')
    expect(await page.locator('[data-testid="app-tab"]').count()).toBe(0)
    expect(await page.locator('[data-testid="app-frame"]').count()).toBe(0)
    await page.close()
  })
})

describe('the install flow (empty portal, app not installed)', () => {
  it('answers setInstall, hides the app from users, and reloads the page after setInstallFinish', async () => {
    await api('/emulator/reset', { data: 'empty' })
    expect((await api<{ installed: boolean }>('/emulator/info')).installed).toBe(false)
    const info = await api<{ users: { id: number, role: string }[] }>('/emulator/info')
    const manager = info.users.find(u => u.role === 'manager')!

    const page = await browser.newPage()
    await page.goto(`${origin}/marketplace/app/?user=${manager.id}`)
    await page.waitForSelector('[data-testid="not-installed"]')
    expect(await page.locator('[data-testid="app-frame"]').count()).toBe(0)

    // The admin opens the app: FIRST_RUN makes the SDK send setInstall, which must be answered for init to finish.
    const frame = await openAppFrame(page, '/marketplace/app/?user=1', 'DEFAULT')
    const initInfo = await probeCall<{ isInstallMode: boolean, isFirstRun: boolean }>(frame, 'initInfo')
    expect(initInfo.data).toMatchObject({ isInstallMode: true, isFirstRun: true })
    const log = await page.evaluate(() => (window as unknown as { __host: { log: { command: string, status: string }[] } }).__host.log)
    expect(log.some(e => e.command === 'setInstall' && e.status === 'replied')).toBe(true)

    const reloaded = page.waitForURL(/install_finished=Y/)
    void probeCall(frame, 'installFinish').catch(() => undefined)
    await reloaded
    expect((await api<{ installed: boolean }>('/emulator/info')).installed).toBe(true)
    const again = await page.waitForSelector('[data-testid="app-frame"][data-placement="DEFAULT"]')
    const frame2 = await again.contentFrame()
    await frame2!.waitForFunction(() => 'probe' in window)
    const after = await probeCall<{ isInstallMode: boolean }>(frame2!, 'initInfo')
    expect(after.data.isInstallMode).toBe(false)
    await page.close()
  })
})
