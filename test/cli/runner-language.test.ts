// The runner speaks one language per run: every line it prints — plan, skip reasons, results,
// configuration gaps, scope warnings, payments followed up — is Russian by default and English with
// `--locale en`; only data (names, addresses, subjects, the portal's own error words) stays as it is.
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { RunnerPortal } from './support/runner-portal.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runRemindCli } from '../../src/cli/remind.ts'
import { taggedText } from '../../src/domain/collection/collection-record.ts'
import { addCompany, addInvoice, settingsWithSteps } from '../support/runner-data.ts'
import { startRunnerPortal } from './support/runner-portal.ts'

const NOW = new Date('2026-03-16T10:00:00+03:00')

function settings(): InvoiceDeskSettings {
  return settingsWithSteps([
    { offsetDays: -3, channel: 'email', templateId: 'reminderBeforeDue' },
    { offsetDays: 3, channel: 'email', templateId: 'reminderOverdue' },
    { offsetDays: 7, channel: 'task', templateId: 'reminderOverdue' },
    { offsetDays: 7, channel: 'escalate', templateId: 'reminderOverdue' },
  ], (base) => {
    const reminder = { processes: [{ templateId: 4, document: 'deal' as const, name: 'Звонок клиенту', parameters: {} }], triggerCode: 'invoice_overdue' }
    return { processes: { ...base.processes, events: { ...base.processes.events, reminder } } }
  })
}

/**
 * What is left of a line once data is taken out: the client's and «quoted» names, invoice numbers,
 * e-mail addresses, and the method and scope names a webhook is configured with.
 */
function wordsOf(line: string): string {
  return line
    .replace(/ООО «Ромашка»/g, '')
    .replace(/«[^»]*»/g, '')
    .replace(/СЧ-\d+/g, '')
    .replace(/\S+@\S+/g, '')
    .replace(/(?:user\.get|im\.notify\.\*|im\.department\.managers\.get|tasks\.task\.add|bizproc\.workflow\.start)/g, '')
    .replace(/\b(?:crm|user_basic|basic|im|task|bizproc)\b/g, '')
    .replace(/\be-mail\b/g, '')
}

describe('cli/remind: one language per run', () => {
  let running: RunnerPortal
  let invoiceIds: number[] = []

  beforeAll(async () => {
    running = await startRunnerPortal(settings(), NOW, { webhookScopes: ['crm', 'im', 'task', 'user_basic'] })
    const company = await addCompany(running, 'ООО «Ромашка»', 'buh@romashka.example')
    const add = (due: string) => addInvoice(running, company, due)
    // Overdue 10 days with nothing sent (catch-up: earlier steps superseded), promised, due in 3 days.
    invoiceIds = [await add('2026-03-06'), await add('2026-03-10'), await add('2026-03-19')]
    await running.portal.call('crm.timeline.logmessage.add', { fields: { entityTypeId: 31, entityId: invoiceIds[1], title: 'Обещание', text: taggedText('Клиент обещал оплатить до 20.03.2026', { kind: 'promise', on: '2026-03-20' }), iconCode: 'info' } })
  })
  afterAll(() => running?.emulator.close())

  async function run(...args: string[]): Promise<string[]> {
    const out: string[] = []
    await runRemindCli(['--once', '--dry-run', ...args], running.env, { out: line => out.push(line), err: line => out.push(line) })
    return out
  }

  it('in Russian (the default): no English word outside data, dates dd.mm.yyyy', async () => {
    const out = await run()
    expect(out.length).toBeGreaterThan(6)
    expect(out.map(wordsOf).filter(line => /[a-z]{2,}/i.test(line))).toEqual([])
    expect(out.join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}/)
    expect(out.join('\n')).toMatch(/20\.03\.2026/)
  })

  it('in English (--locale en): no Cyrillic outside data, dates in the English format', async () => {
    const out = await run('--locale', 'en')
    expect(out.length).toBeGreaterThan(6)
    expect(out.map(wordsOf).filter(line => /[а-яё]/i.test(line))).toEqual([])
    expect(out.join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}/)
    expect(out.join('\n')).toMatch(/20\/03\/2026/)
  })

  it('the skip written into the invoice\'s timeline reads as a sentence with its date, not a code and an ISO day', async () => {
    await runRemindCli(['--once'], running.env, { out: () => {}, err: () => {} })
    const texts = running.emulator.state.journal
      .filter(entry => entry.kind === 'timeline' && (entry.details as { owner?: { typeId?: number, id?: number } }).owner?.id === invoiceIds[1])
      .map(entry => String((entry.details as { text: string }).text).split('#invoice-desk')[0]!)
    expect(texts.some(text => text.includes('клиент обещал оплатить до 20.03.2026'))).toBe(true)
    expect(texts.join('\n')).not.toMatch(/promised|2026-03-20/)
  })

  it('INVOICE_DESK_LOCALE=en is the same as --locale en', async () => {
    const out: string[] = []
    await runRemindCli(['--once', '--dry-run'], { ...running.env, INVOICE_DESK_LOCALE: 'en' }, { out: line => out.push(line), err: line => out.push(line) })
    expect(out.map(wordsOf).filter(line => /[а-яё]/i.test(line))).toEqual([])
  })
})
