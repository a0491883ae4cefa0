// The scheduled runner checks its webhook at start (the `scope` method and `profile`): it names every
// missing scope and what will not happen, stops only when it cannot work at all (crm, user_basic).
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { RunnerPortal } from './support/runner-portal.ts'
import { afterEach, describe, expect, it } from 'vitest'
import { runRemindCli } from '../../src/cli/remind.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { startRunnerPortal } from './support/runner-portal.ts'

const NOW = new Date('2026-03-16T10:00:00+03:00')

function withReminderProcess(): InvoiceDeskSettings {
  const base = defaultSettings()
  const events = { ...base.processes.events, reminder: { processes: [{ templateId: 4, document: 'deal' as const, name: 'Звонок клиенту', parameters: {} }], triggerCode: 'invoice_overdue' } }
  return { ...base, processes: { ...base.processes, events } }
}

describe('cli/remind: the webhook\'s scopes, checked at start', () => {
  let running: RunnerPortal | null = null
  afterEach(async () => {
    await running?.emulator.close()
    running = null
  })

  async function run(settings: InvoiceDeskSettings, webhookScopes?: readonly string[]): Promise<{ code: number, out: string[] }> {
    running = await startRunnerPortal(settings, NOW, webhookScopes ? { webhookScopes } : {})
    const out: string[] = []
    const code = await runRemindCli(['--once', '--locale', 'en'], running.env, { out: line => out.push(line), err: line => out.push(line) })
    return { code, out }
  }

  it('the README\'s old scopes (no bizproc): names bizproc and the process that will not start, and still runs (exit 0)', async () => {
    const { code, out } = await run(withReminderProcess())
    expect(code).toBe(0)
    expect(out).toContain('Webhook scopes: basic, crm, im, task, user_basic · administrator: yes')
    expect(out.some(line => line.includes('MISSING scope bizproc'))).toBe(true)
    expect(out.some(line => line.includes('WILL NOT START business process «Звонок клиенту» (event «Payment reminder»): the webhook lacks the bizproc scope'))).toBe(true)
    expect(out.some(line => line.includes('WILL NOT START trigger «invoice_overdue» (event «Payment reminder»): app triggers fire only'))).toBe(true)
    expect(out.some(line => line.startsWith('Portal time'))).toBe(true)
  })

  it('with every scope it names nothing missing; app triggers are still said not to fire from a webhook', async () => {
    const { code, out } = await run(withReminderProcess(), ['crm', 'im', 'task', 'user_basic', 'bizproc'])
    expect(code).toBe(0)
    expect(out.filter(line => line.includes('MISSING'))).toEqual([])
    expect(out.filter(line => line.includes('WILL NOT START')).map(line => line.trim())).toEqual([
      'WILL NOT START trigger «invoice_sent» (event «Invoice sent»): app triggers fire only for an administrator in the app, never from a webhook',
      'WILL NOT START trigger «invoice_paid» (event «Invoice paid»): app triggers fire only for an administrator in the app, never from a webhook',
      'WILL NOT START trigger «invoice_overdue» (event «Payment reminder»): app triggers fire only for an administrator in the app, never from a webhook',
    ])
  })

  it('without crm it cannot work: it says so and exits 1 before anything is read or sent', async () => {
    const { code, out } = await run(defaultSettings(), ['im', 'task', 'user_basic'])
    expect(code).toBe(1)
    expect(out.some(line => line.includes('MISSING scope crm') && line.includes('cannot work without it'))).toBe(true)
    expect(out.some(line => line.startsWith('Portal time'))).toBe(false)
  })
})
