import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { readBatchEnvelope } from '../../src/portal/batch-envelope.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { startEmulator } from '../emulator/server.ts'

describe('portal/batch-envelope', () => {
  it('reads an entry of result_error with an empty code as a failure with the portal\'s words', () => {
    const outcomes = readBatchEnvelope(
      { result: { a: { item: { id: 1 } } }, result_error: { b: { error: '', error_description: 'Email send error. "From" is not found' } }, result_total: [] },
      [['a', 'crm.item.add'], ['b', 'crm.activity.add'], ['c', 'crm.item.update']],
    )
    expect(outcomes.a).toMatchObject({ ok: true, result: { item: { id: 1 } } })
    expect(outcomes.b).toMatchObject({ ok: false, error: { method: 'crm.activity.add', code: 'PORTAL_ERROR', message: 'Email send error. "From" is not found', retrySafe: true } })
    expect(outcomes.c).toMatchObject({ ok: false, error: { code: 'NOT_RUN' } })
  })

  it('reads PHP\'s empty arrays and lists (names 0…n-1) and a code of "0"', () => {
    const outcomes = readBatchEnvelope({ result: [{ x: 1 }], result_error: [], result_total: [3] }, [['0', 'crm.item.list']])
    expect(outcomes['0']).toEqual({ ok: true, result: { x: 1 }, total: 3 })
    const zero = readBatchEnvelope({ result: [], result_error: { k: { error: '0', error_description: 'Wrong DOCUMENT_ID!' } } }, [['k', 'bizproc.workflow.start']])
    expect(zero.k).toMatchObject({ ok: false, error: { code: 'PORTAL_ERROR', message: 'Wrong DOCUMENT_ID!' } })
  })
})

describe('portal/sdk-portal-client batch against the emulator, through the SDK', () => {
  let emulator: RunningEmulator
  let caCertificate: string

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off' })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())
  beforeEach(() => emulator.engine.faults.clear())

  const portal = () => connectWithWebhook(emulator.webhookUrl, { caCertificate })

  it('an empty-code error of one command is that command\'s failure; the others keep their results (halt = 0)', async () => {
    emulator.engine.faults.add({ method: 'crm.activity.add', times: 1, kind: 'error', status: 400, code: '', description: 'Email send error. "From" is not found' })
    const client = portal()
    const outcomes = await client.batch({
      deal: { method: 'crm.item.get', params: { entityTypeId: 2, id: 1 } },
      mail: { method: 'crm.activity.add', params: { fields: { OWNER_TYPE_ID: 2, OWNER_ID: 1, TYPE_ID: 4, SUBJECT: 'x' } } },
      list: { method: 'crm.item.list', params: { entityTypeId: 2, select: ['id'] } },
    })
    expect(outcomes.deal).toMatchObject({ ok: true, result: { item: { id: 1 } } })
    expect(outcomes.mail).toMatchObject({ ok: false, error: { method: 'crm.activity.add', code: 'PORTAL_ERROR', message: 'Email send error. "From" is not found' } })
    expect(outcomes.list).toMatchObject({ ok: true })
    expect((outcomes.list as { total: number }).total).toBeGreaterThan(0)
    expect(client.roundTrips()).toBe(1)
  })

  it('with halt the commands after an empty-code failure never run and come back NOT_RUN', async () => {
    const client = portal()
    const outcomes = await client.batch({
      start: { method: 'bizproc.workflow.start', params: { TEMPLATE_ID: 999_999, DOCUMENT_ID: ['crm', 'CCrmDocumentDeal', 'DEAL_1'] } },
      after: { method: 'crm.item.update', params: { entityTypeId: 2, id: 1, fields: { title: 'must not change' } } },
    }, { haltOnError: true })
    expect(outcomes.start?.ok).toBe(false)
    expect(outcomes.after).toMatchObject({ ok: false, error: { code: 'NOT_RUN' } })
    expect(emulator.state.entities[2]!.byId.get(1)?.title).not.toBe('must not change')
  })

  it('resolves $result references in commands built from nested params', async () => {
    const outcomes = await portal().batch({
      first: { method: 'crm.item.list', params: { entityTypeId: 2, select: ['id'], order: { id: 'ASC' }, filter: { '>id': 0 } } },
      again: { method: 'crm.item.get', params: { entityTypeId: 2, id: '$result[first][items][0][id]' } },
    })
    expect(outcomes.again).toMatchObject({ ok: true, result: { item: { id: 1 } } })
  })
})
