// The deal tab's issue chain checks the stored settings it runs on, with the catalog its own read already
// brought (no extra round trip): a deleted pipeline, stage or template, a term of −5 days or a `{` left open
// refuse the issue with the field named, and nothing is written. (A deleted template is seen only by those
// who may list templates: administrators and the runner's administrator webhook.)
import type { IssueEnvironment } from '../../src/flows/issue-and-send.ts'
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { prepareIssue, runIssue } from '../../src/flows/issue-and-send.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { startEmulator } from '../emulator/server.ts'

const base = defaultSettings()
type Change = (s: InvoiceDeskSettings) => InvoiceDeskSettings
const invoice = (patch: Partial<InvoiceDeskSettings['invoice']>): Change => s => ({ ...s, invoice: { ...s.invoice, ...patch } })

describe('flows/issue-and-send: stored settings checked before anything is written', () => {
  let emulator: RunningEmulator
  let caCertificate: string

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 50 })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())

  const env = (): IssueEnvironment => ({ isAdmin: true, now: new Date(), timeZone: 'Europe/Moscow', locale: 'ru', sleep: ms => new Promise(resolve => setTimeout(resolve, ms)), pdfPollMs: 50, pdfTimeoutMs: 10_000 })
  const portal = () => connectWithWebhook(emulator.webhookUrl, { caCertificate })
  const dealId = () => Number(emulator.state.entities[2]!.items.find(deal => Number(deal.opportunity) > 0)!.id)
  const writes = () => JSON.stringify([emulator.state.entities[31]!.items.length, emulator.state.journal.length])

  it.each<[string, Change, { path: string, code: string }]>([
    ['a pipeline that was deleted', invoice({ categoryId: 77 }), { path: 'invoice.categoryId', code: 'pipelineMissing' }],
    ['a "sent" stage that was deleted', invoice({ sentStageId: 'DT31_5:UC_GONE' }), { path: 'invoice.sentStageId', code: 'stageMissing' }],
    ['a document template that was deleted', invoice({ documentTemplateId: 9999, documentTemplateName: 'Старый шаблон' }), { path: 'invoice.documentTemplateId', code: 'templateMissing' }],
    ['a payment term of −5 days', invoice({ paymentTermDays: { b2b: -5, b2c: -5 } }), { path: 'invoice.paymentTermDays.b2b', code: 'outOfRange' }],
    ['an unbalanced { in the invoice e-mail', s => ({ ...s, email: { ...s.email, templates: { ...s.email.templates, invoice: { ...s.email.templates.invoice, ru: { ...s.email.templates.invoice.ru, subject: 'Счёт {invoice.number' } } } } }), { path: 'email.templates.invoice.ru.subject', code: 'unbalancedBrace' }],
  ])('refuses %s: the field named, nothing written', async (_name, change, expected) => {
    const client = portal()
    const valid = await prepareIssue(client, dealId(), base, env())
    const validTrips = client.roundTrips()
    expect(valid.refusals.filter(refusal => refusal.code === 'settingsInvalid')).toEqual([])

    const before = writes()
    const other = portal()
    const preparation = await prepareIssue(other, dealId(), change(base), env())
    // The check adds no request; a pipeline that is gone already made the read fetch the default one's stages.
    expect(other.roundTrips()).toBe(validTrips + (expected.code === 'pipelineMissing' ? 1 : 0))
    expect(preparation.plan).toBeNull()
    const refusal = preparation.refusals.find(entry => entry.code === 'settingsInvalid')
    expect(refusal && 'issues' in refusal ? refusal.issues : []).toContainEqual(expect.objectContaining(expected))
    expect(await runIssue(other, preparation, env())).toMatchObject({ status: 'refused' })
    expect(writes()).toBe(before)
  })
})
