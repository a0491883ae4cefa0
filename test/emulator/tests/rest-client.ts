// A tiny HTTP client for the emulator tests: webhook calls, app-token calls as a given user, control API.
import type { RunningEmulator } from '../server.ts'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { startEmulator } from '../server.ts'

export interface Reply { status: number, body: Record<string, unknown> }

export interface RestClient {
  /** A REST call through the webhook (user 1, admin). */
  hook(method: string, params?: Record<string, unknown>): Promise<Reply>
  /** A REST call with an app token of the user (placement frame session). */
  app(userId: number, method: string, params?: Record<string, unknown>): Promise<Reply>
  control(path: string, body?: unknown, method?: string): Promise<Reply>
  /** GET /emulator/journal?kind= (newest first). */
  journal(kind: string): Promise<{ id: number, at: string, kind: string, title: string, details: Record<string, unknown> }[]>
}

export function restClient(emulator: RunningEmulator): RestClient {
  const tokens = new Map<number, string>()
  const send = async (path: string, body?: unknown, method?: string): Promise<Reply> => {
    const response = await fetch(`${emulator.url}${path}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) as Record<string, unknown> : {} }
  }
  const token = async (userId: number): Promise<string> => {
    const known = tokens.get(userId)
    if (known) return known
    const session = await send('/emulator/frame-session', { userId, placement: 'CRM_DEAL_DETAIL_TAB', placementOptions: { ID: '1' }, lang: 'ru' })
    const value = String(session.body.AUTH_ID)
    tokens.set(userId, value)
    return value
  }
  return {
    hook: (method, params = {}) => send(`/rest/1/demo-webhook-secret/${method}`, params),
    app: async (userId, method, params = {}) => send(`/rest/${method}`, { ...params, auth: await token(userId) }),
    control: send,
    journal: async kind => (await send(`/emulator/journal?kind=${kind}`)).body as unknown as Awaited<ReturnType<RestClient['journal']>>,
  }
}

export const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** What a test file gets from `useDemoPortal`: the portal, a client, and records owned by the two managers. */
export interface DemoPortal {
  emulator: RunningEmulator
  client: RestClient
  invoiceOf2: number
  invoiceOf3: number
  dealOf2: number
}

/**
 * One demo portal per test file on a fixed clock (2026-03-15), reset to the demo data before each
 * test. `ready` receives it once started, to keep the file's own variable names.
 */
/** `options.webhookScopes`: the webhook's scopes (default the emulator's: crm, im, task, user_basic). */
const FIXED_NOW = new Date('2026-03-15T10:00:00+03:00')

export function useDemoPortal(ready: (portal: DemoPortal) => void, options: { webhookScopes?: readonly string[] } = {}): void {
  let emulator: RunningEmulator | undefined
  let client: RestClient | undefined
  beforeAll(async () => {
    emulator = await startEmulator({ data: 'demo', limits: 'off', now: FIXED_NOW, webhookScopes: options.webhookScopes })
    client = restClient(emulator)
    const ownedBy = (items: ReadonlyArray<{ id: number, assignedById?: unknown }>, userId: number) => items.find(item => item.assignedById === userId)?.id ?? 0
    ready({
      emulator,
      client,
      invoiceOf2: ownedBy(emulator.state.entities[31].items, 2),
      invoiceOf3: ownedBy(emulator.state.entities[31].items, 3),
      dealOf2: ownedBy(emulator.state.entities[2].items, 2),
    })
  })
  afterAll(() => emulator?.close())
  beforeEach(async () => {
    await client!.control('/emulator/reset', { data: 'demo' })
    // The clock runs on with real time; back to the fixed instant so a slow machine does not shift times.
    await client!.control('/emulator/clock', { now: FIXED_NOW.toISOString() })
  })
}
