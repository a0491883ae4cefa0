// The reminder sweep on big portals, against the emulator with its request-rate and per-method
// operating-time limits (R: settings/performance/limits.md) and the real SDK on a webhook.
import { readFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { executeSweep, newRunnerId, prepareSweep } from '../../src/flows/run-reminders.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { portalDateOf } from '../emulator/core/portal-time.ts'
import { startEmulator, type RunningEmulator } from '../emulator/server.ts'
import { meterOperatingTime } from '../support/operating-meter.ts'
import { nextMondayTen, reshapeForReminders } from '../support/reminder-scale-portal.ts'

let emulator: RunningEmulator | null = null
afterEach(async () => {
  await emulator?.close()
  emulator = null
})

const options = { locale: 'ru' as const, runnerId: newRunnerId() }

describe('flows/run-reminders at scale', () => {
  it('10,000 open invoices, 300 with a step due: the plan takes at most 40 HTTP requests and reads the history of those 300 only', async () => {
    const monday = nextMondayTen()
    emulator = await startEmulator({ https: true, data: 'large:10000', limits: 'cloud', port: 0, now: monday })
    reshapeForReminders(emulator.state, portalDateOf(monday), 300)
    const meter = meterOperatingTime(emulator.engine)
    const portal = connectWithWebhook(emulator.webhookUrl, { caCertificate: await readFile(emulator.caCertPath ?? '', 'utf8') })
    emulator.engine.resetStats()
    const prep = await prepareSweep(portal, defaultSettings(), options)
    const dueInvoices = new Set([...prep.plan.sends.flatMap(send => send.items.map(item => item.invoiceId)), ...prep.plan.skips.map(skip => skip.invoiceId)])
    expect(dueInvoices.size).toBe(300)
    expect(meter.calls('crm.timeline.logmessage.list')).toBe(300)
    expect(emulator.stats.httpRequests).toBeLessThanOrEqual(40)
  }, 120_000)

  it('100,000 invoices: the queue opens within the methods\' operating-time budget and the runner sends what it planned', async () => {
    // 40,000 invoices are enough: reading all open ones by offset pages spent crm.item.list's 480 s.
    emulator = await startEmulator({ https: true, data: 'large:40000', limits: 'enterprise', port: 0, now: nextMondayTen() })
    const meter = meterOperatingTime(emulator.engine)
    const portal = connectWithWebhook(emulator.webhookUrl, { caCertificate: await readFile(emulator.caCertPath ?? '', 'utf8') })
    const prep = await prepareSweep(portal, defaultSettings(), options)
    expect(prep.previews.length).toBeGreaterThan(0)
    expect(meter.seconds('crm.item.list')).toBeLessThan(60)
    const result = await executeSweep(portal, prep, options)
    expect(result.outcomes.filter(outcome => outcome.status === 'sent').length).toBeGreaterThan(0)
    expect(meter.busiest()!.seconds).toBeLessThan(480)
  }, 300_000)
})
