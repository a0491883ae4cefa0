import type { RunningEmulator } from '../../emulator/server.ts'
import type { ServiceConfig } from '../../../src/service/config.ts'
import type { ServiceStore } from '../../../src/service/store/service-store.ts'
import { mkdtempSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import qs from 'qs'
import { MEMBER_ID } from '../../emulator/control/control-api.ts'
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from '../../emulator/control/oauth-token.ts'
import { createInvoiceDeskService, type InvoiceDeskService } from '../../../src/service/invoice-desk-service.ts'
import { createServiceLog } from '../../../src/service/service-log.ts'
import { openPostgresStore } from '../../../src/service/store/postgres-store.ts'
import { openSqliteStore } from '../../../src/service/store/sqlite-store.ts'
import { testDatabaseUrl, uniqueSchema } from './test-database.ts'

/** The stores the service tests run on: always SQLite, PostgreSQL when INVOICE_DESK_TEST_DATABASE_URL is set. */
export function storeKinds(): Array<'sqlite' | 'postgresql'> {
  return testDatabaseUrl() ? ['sqlite', 'postgresql'] : ['sqlite']
}

/** A fresh store of that kind; `reopen` opens the same data again (a restarted service). */
export async function openTestStore(kind: 'sqlite' | 'postgresql'): Promise<{ store: ServiceStore, reopen: () => Promise<ServiceStore>, env: Record<string, string> }> {
  if (kind === 'postgresql') {
    const url = testDatabaseUrl()!
    const schema = uniqueSchema()
    return { store: await openPostgresStore(url, { schema }), reopen: () => openPostgresStore(url, { schema }), env: { DATABASE_URL: url } }
  }
  const dir = mkdtempSync(join(tmpdir(), 'invoice-desk-service-'))
  const file = join(dir, 'invoice-desk.sqlite')
  return { store: openSqliteStore(file), reopen: async () => openSqliteStore(file), env: { INVOICE_DESK_DATA_DIR: dir } }
}

/** The service's configuration for a test against `emulator`. */
export async function testConfig(emulator: RunningEmulator, overrides: Partial<ServiceConfig> = {}): Promise<ServiceConfig> {
  return {
    port: 0,
    publicUrl: 'http://127.0.0.1:0',
    clientId: OAUTH_CLIENT_ID,
    clientSecret: OAUTH_CLIENT_SECRET,
    oauthUrl: emulator.origin,
    databaseUrl: null,
    dataDir: '',
    poll: 'auto',
    eventGraceMs: 120_000,
    answerRetry: { maxAttempts: 4, firstDelayMs: 0, maxDelayMs: 0, giveUpAfterMs: 3_600_000 },
    pollIntervalMs: 3_600_000,
    scheduleTickMs: 3_600_000,
    distDir: join(tmpdir(), 'no-dist'),
    ...(emulator.caCertPath ? { caCertificate: await readFile(emulator.caCertPath, 'utf8') } : {}),
    locale: 'ru',
    ...overrides,
  }
}

/** A started service with its captured log lines. */
export interface TestService {
  readonly service: InvoiceDeskService
  readonly url: string
  readonly lines: string[]
  stop: () => Promise<void>
}

export async function startTestService(config: ServiceConfig, store: ServiceStore): Promise<TestService> {
  const lines: string[] = []
  const log = createServiceLog(line => lines.push(line))
  // The public URL is known once the port is: start on port 0, then use the chosen port.
  let publicUrl = config.publicUrl
  const service = createInvoiceDeskService({ config: new Proxy(config, { get: (target, key) => key === 'publicUrl' ? publicUrl : target[key as keyof ServiceConfig] }), store, log })
  const { port } = await service.start()
  publicUrl = `http://127.0.0.1:${port}`
  return { service, url: publicUrl, lines, stop: () => service.stop() }
}

/** POSTs a form-encoded body as Bitrix24 does; answers status and JSON. */
export async function postForm(url: string, body: Record<string, unknown>): Promise<{ status: number, json: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: qs.stringify(body) })
  const text = await response.text()
  return { status: response.status, json: text ? JSON.parse(text) as Record<string, unknown> : {} }
}

/** The `auth` of a call from the emulated portal, with a fresh token pair of `userId` (made-up application token). */
export function portalAuth(emulator: RunningEmulator, applicationToken: string, userId = 1): Record<string, string> {
  const token = emulator.engine.tokens.issue(userId)
  const host = new URL(emulator.origin).host
  return {
    access_token: token.accessToken, refresh_token: token.refreshToken, expires_in: '3600', domain: host, member_id: MEMBER_ID,
    client_endpoint: `${emulator.origin}/rest/`, server_endpoint: `${emulator.origin}/rest/`, application_token: applicationToken,
    scope: 'crm,bizproc,user_basic,im,task,placement', status: 'L', user_id: String(userId),
  }
}

/** A robot call's body as Bitrix24 posts it (R: tutorials/bizproc/activity.md). */
export function robotCallBody(dealId: number, eventToken: string, auth: Record<string, string>): Record<string, unknown> {
  return {
    event_token: eventToken, workflow_id: `wf-${eventToken}`, code: 'invoice_desk_issue',
    document_id: ['crm', 'CCrmDocumentDeal', `DEAL_${dealId}`], document_type: ['crm', 'CCrmDocumentDeal', 'DEAL'],
    properties: {}, use_subscription: 'Y', timeout_duration: '0', ts: '1764900000', auth,
  }
}
