// SDK fidelity: the real @bitrix24/b24jssdk B24Hook against the emulator over https.
import { readFile } from 'node:fs/promises'
import https from 'node:https'
import { AjaxError, ApiVersion, B24Hook } from '@bitrix24/b24jssdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../server.ts'

async function hookFor(emulator: RunningEmulator, restrictionParams: Record<string, unknown> = { maxRetries: 1 }): Promise<B24Hook> {
  const ca = await readFile(emulator.caCertPath ?? '', 'utf8')
  const hook = B24Hook.fromWebhookUrl(emulator.webhookUrl, { restrictionParams })
  hook.offClientSideWarning()
  for (const version of [ApiVersion.v2, ApiVersion.v3]) {
    hook.getHttpClient(version).ajaxClient.defaults.httpsAgent = new https.Agent({ ca })
  }
  return hook
}

describe('B24Hook over https (large:1234, limits off)', () => {
  let emulator: RunningEmulator
  let hook: B24Hook

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'large:1234', limits: 'off' })
    hook = await hookFor(emulator)
  })
  afterAll(() => emulator.close())

  it('prints a https origin and a CA file', () => {
    expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(emulator.webhookUrl).toBe(`${emulator.url}/rest/1/demo-webhook-secret/`)
  })

  it('callList pages 1,234 invoices: each once, in exactly 25 list requests', async () => {
    emulator.engine.resetStats()
    const result = await hook.actions.v2.callList.make<{ id: number }>({
      method: 'crm.item.list',
      params: { entityTypeId: 31, select: ['id'] },
      idKey: 'id',
      customKeyForResult: 'items',
    })
    expect(result.isSuccess).toBe(true)
    const ids = (result.getData() ?? []).map(item => Number(item.id))
    expect(ids).toHaveLength(1234)
    expect(new Set(ids).size).toBe(1234)
    expect(emulator.stats.restRequests['crm.item.list']).toBe(25)
    expect(emulator.stats.httpRequests).toBe(25)
  })

  it('resolves $result references in a batch, also in the middle of a string', async () => {
    const response = await hook.actions.v2.batch.make({
      calls: {
        inv: { method: 'crm.item.list', params: { entityTypeId: 31, select: ['id', 'categoryId'], filter: { '>id': 10 } } },
        one: { method: 'crm.item.get', params: { entityTypeId: 31, id: '$result[inv][items][0][id]' } },
        stages: { method: 'crm.status.list', params: { filter: { ENTITY_ID: 'SMART_INVOICE_STAGE_$result[inv][items][0][categoryId]' } } },
      },
      options: { isHaltOnError: true },
    })
    expect(response.isSuccess).toBe(true)
    const data = response.getData() as Record<string, unknown>
    expect((data.one as { item: { id: number } }).item.id).toBe(11)
    const stages = data.stages as { ENTITY_ID: string, SEMANTICS: string | null }[]
    expect(stages.length).toBe(5)
    expect(stages.every(stage => stage.ENTITY_ID === 'SMART_INVOICE_STAGE_5')).toBe(true)
    expect(emulator.stats.batchCommands).toBeGreaterThanOrEqual(3)
  })

  it('a failing batch command lands in the SDK errors, the others keep their data', async () => {
    const response = await hook.actions.v2.batch.make({
      calls: {
        ok: { method: 'crm.item.get', params: { entityTypeId: 31, id: 1 } },
        bad: { method: 'crm.item.get', params: { entityTypeId: 31, id: 999_999 } },
      },
      options: { isHaltOnError: false },
    })
    expect(response.isSuccess).toBe(false)
    expect(response.getErrorMessages().join(' ')).toContain('Item not found')
  })

  it('NOT_FOUND surfaces as AjaxError with code and status', async () => {
    const error = await hook.actions.v2.call.make({ method: 'crm.item.get', params: { entityTypeId: 31, id: 999_999 } }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AjaxError)
    expect((error as AjaxError).code).toBe('NOT_FOUND')
    expect((error as AjaxError).status).toBe(400)
  })

  it('unknown method → ERROR_METHOD_NOT_FOUND (404); webhook without the placement scope on placement.bind → insufficient_scope (403)', async () => {
    const missing = await hook.actions.v2.call.make({ method: 'crm.nothing.here', params: {} }).catch((caught: unknown) => caught)
    expect((missing as AjaxError).code).toBe('ERROR_METHOD_NOT_FOUND')
    expect((missing as AjaxError).status).toBe(404)
    const wrongAuth = await hook.actions.v2.call.make({ method: 'placement.bind', params: { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: 'https://x/' } }).catch((caught: unknown) => caught)
    expect((wrongAuth as AjaxError).code).toBe('insufficient_scope')
    expect((wrongAuth as AjaxError).status).toBe(403)
  })
})

describe('B24Hook against the cloud rate limit', () => {
  let emulator: RunningEmulator

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'empty', limits: 'cloud' })
  })
  afterAll(() => emulator.close())

  it('a burst of 56 concurrent calls: some 503s, every call succeeds after back-off', async () => {
    // The client's own limiter is opened up so the burst reaches the server (two apps on one IP would do the same).
    const hook = await hookFor(emulator, { maxRetries: 6, rateLimit: { burstLimit: 1000, drainRate: 1000, adaptiveEnabled: false } })
    const calls = Array.from({ length: 56 }, () => hook.actions.v2.call.make({ method: 'crm.currency.list', params: {} }))
    const results = await Promise.all(calls)
    expect(results.every(result => result.isSuccess)).toBe(true)
    expect(emulator.stats.errors.QUERY_LIMIT_EXCEEDED ?? 0).toBeGreaterThan(0)
  }, 30_000)
})
