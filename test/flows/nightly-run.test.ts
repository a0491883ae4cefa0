// The nightly run as a flow (what the CLI prints and the service logs), against the emulator with the real SDK.
import type { RunningEmulator } from '../emulator/server.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { runNightly } from '../../src/flows/nightly-run.ts'
import { startRunnerPortal } from '../cli/support/runner-portal.ts'

const settings = (() => {
  const base = defaultSettings()
  return { ...base, reminders: { ...base.reminders, steps: [{ offsetDays: 0, channel: 'email' as const, templateId: 'reminderOnDue' as const }, { offsetDays: 3, channel: 'escalate' as const, templateId: 'reminderOverdue' as const }], repeat: null, escalationUserIds: [] } }
})()

describe('flows/nightly-run', () => {
  let emulator: RunningEmulator
  let portal: PortalClient

  beforeAll(async () => {
    ({ emulator, portal } = await startRunnerPortal(settings, new Date('2026-03-10T10:00:00+03:00')))
    const company = await portal.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 4, fields: { title: 'ООО «Ромашка»' } })
    const item = emulator.state.entities[4].items.find(entry => entry.id === company.item.id)!
    Object.assign(item, { hasEmail: 'Y', email: 'buh@romashka.example', emailWork: 'buh@romashka.example', fm: [{ id: 900, valueType: 'WORK', value: 'buh@romashka.example', typeId: 'EMAIL' }] })
    for (const [due, responsible] of [['2026-03-10', 2], ['2026-03-06', 4]] as const)
      await portal.call('crm.item.add', { entityTypeId: 31, fields: { title: 'Счёт', companyId: company.item.id, stageId: 'DT31_5:S', categoryId: 5, begindate: '2026-02-20', closedate: due, opportunity: 1500, currencyId: 'RUB', assignedById: responsible } })
  })
  afterAll(() => emulator?.close())

  it('a dry run plans and reports, sending and writing nothing', async () => {
    const report = await runNightly(portal, settings, { locale: 'ru', dryRun: true, runnerId: 'dry' })
    expect(report).toMatchObject({ dryRun: true, testMode: false, sweep: null, journal: [], failed: false, gaps: [] })
    // The invoice 4 days overdue never got its on-the-day e-mail: the client is caught up with it, the team escalated (README, "Catching up").
    expect(report.preparation.plan.sends.map(send => send.channel).sort()).toEqual(['email', 'email', 'escalate'])
    expect(emulator.state.journal.filter(entry => entry.kind === 'outbox')).toHaveLength(0)
  })

  it('a real run sends the reminder, reports the escalation with no one to notify as a gap (not a failure)', async () => {
    const report = await runNightly(portal, settings, { locale: 'ru', dryRun: false, runnerId: 'night' })
    expect(report.sweep!.outcomes.filter(outcome => outcome.status === 'sent').map(outcome => outcome.channel)).toEqual(['email', 'email'])
    expect(report.gaps).toEqual([{ kind: 'escalationNoRecipient', invoiceIds: [expect.any(Number)] }])
    expect(report.failed).toBe(false)
    expect(emulator.state.journal.filter(entry => entry.kind === 'outbox')).toHaveLength(2)
  })
})
