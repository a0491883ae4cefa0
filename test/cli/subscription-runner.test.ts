// Subscriptions through the scheduled runner end to end: the real SDK webhook client over https
// against the emulator, its clock moved across three monthly periods, two runners at a time.
import type { RunningEmulator } from '../../test/emulator/server.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { SubscriptionSchedule } from '../../src/domain/subscription/subscription-schedule.ts'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startRunnerPortal } from './support/runner-portal.ts'
import { runRemindCli } from '../../src/cli/remind.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { SETTINGS_OPTION } from '../../src/domain/settings/read-settings.ts'
import { EMPTY_JOURNAL_FILTER, journalTypeCommand, readJournal } from '../../src/portal/journal/journal-store.ts'
import { prepareIssue, runIssue } from '../../src/flows/issue-and-send.ts'
import { saveSubscription, stopSubscription } from '../../src/flows/subscriptions.ts'

const ZONE = '+03:00'
let emulator: RunningEmulator
let portal: PortalClient
let env: NodeJS.ProcessEnv

/** No reminder steps: every e-mail in the outbox is an invoice the chain sent. */
function settings(): InvoiceDeskSettings {
  const base = defaultSettings()
  return { ...base, reminders: { ...base.reminders, steps: [], repeat: null } }
}

function setClock(day: string, time = '10:00'): void {
  emulator.engine.clock.set(new Date(`${day}T${time}:00${ZONE}`))
}

async function run(...args: string[]): Promise<{ code: number, out: string[] }> {
  const out: string[] = []
  const code = await runRemindCli(['--once', ...args], env, { out: line => out.push(line), err: line => out.push(line) })
  return { code, out }
}

async function deal(title: string, email: string, opportunity = 1500): Promise<number> {
  const company = await portal.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 4, fields: { title: `ООО «${title}»` } })
  const item = emulator.state.entities[4].items.find(entry => entry.id === company.item.id)!
  Object.assign(item, { hasEmail: 'Y', email, emailWork: email, fm: [{ id: 100 + company.item.id, valueType: 'WORK', value: email, typeId: 'EMAIL' }] })
  const answer = await portal.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 2, fields: { title, companyId: company.item.id, stageId: 'WON', assignedById: 2, opportunity, currencyId: 'RUB' } })
  return answer.item.id
}

/** The deal's period invoices in the portal, as `xmlId`s (raced duplicates that deleted themselves are gone). */
function periodInvoices(dealId: number): string[] {
  return emulator.state.entities[31].items
    .map(item => String((item as { xmlId?: string }).xmlId ?? ''))
    .filter(key => key.startsWith(`invoice-desk:deal:${dealId}:period-`))
    .sort()
}

function invoiceMails(): number {
  return emulator.state.journal.filter(entry => entry.kind === 'outbox' && (entry.details as { owner: { typeId: number } }).owner.typeId === 31).length
}

const monthly: SubscriptionSchedule = { frequency: 'monthly', everyDays: null, startDate: '2026-03-01', end: { kind: 'count', periods: 3 }, amount: { kind: 'deal' }, renewOnPayment: false }

beforeAll(async () => {
  ({ emulator, portal, env } = await startRunnerPortal(settings(), new Date(`2026-02-27T10:00:00${ZONE}`), { pdfDelayMs: 0 }))
})

afterAll(() => emulator?.close())

beforeEach(() => {
  emulator.engine.reset('empty')
  setClock('2026-02-27')
})

describe('subscriptions in npm run remind -- --once (webhook over https)', () => {
  it('issues exactly one invoice per period across three months with two runners each day', async () => {
    const id = await deal('Поддержка сайта', 'buh@romashka.example')
    await saveSubscription(portal, id, monthly, 2, 'ru')
    const days = ['2026-02-27', '2026-03-01', '2026-03-02', '2026-03-20', '2026-04-01', '2026-04-02', '2026-05-01', '2026-05-15', '2026-06-01', '2026-07-01']
    const issuedPerDay: number[] = []
    for (const day of days) {
      setClock(day)
      const before = periodInvoices(id).length
      const [a, b] = await Promise.all([run(), run()])
      expect([a.code, b.code], `${day}\n${a.out.join('\n')}\n${b.out.join('\n')}`).toEqual([0, 0])
      issuedPerDay.push(periodInvoices(id).length - before)
      if (periodInvoices(id).length > before) {
        // One runner issued it; the other found it taken (created a duplicate that deleted itself, or saw it in
        // progress) — or, on a slow machine, started after the first had finished and found nothing due.
        const lines = [...a.out, ...b.out].filter(line => line.includes(`сделка #${id}`))
        expect(lines.filter(line => /выставлен и отправлен #\d+/.test(line)), day).toHaveLength(1)
        const others = lines.filter(line => !/выставлен и отправлен #\d+/.test(line))
        expect(others.every(line => /взял другой запуск|уже выставлен|выставлять нечего/.test(line)), `${day}\n${others.join('\n')}`).toBe(true)
      }
    }
    expect(issuedPerDay).toEqual([0, 1, 0, 0, 1, 0, 1, 0, 0, 0])
    expect(periodInvoices(id)).toEqual([`invoice-desk:deal:${id}:period-2026-03`, `invoice-desk:deal:${id}:period-2026-04`, `invoice-desk:deal:${id}:period-2026-05`])
    expect(invoiceMails()).toBe(3)
    const invoices = emulator.state.entities[31].items.filter(item => String((item as { xmlId?: string }).xmlId).startsWith(`invoice-desk:deal:${id}:`))
    expect(invoices.map(item => item.title)).toEqual(['Поддержка сайта (01.03.2026–31.03.2026)', 'Поддержка сайта (01.04.2026–30.04.2026)', 'Поддержка сайта (01.05.2026–31.05.2026)'])
    expect(invoices.every(item => Number(item.opportunity) === 1500 && Number(item.parentId2) === id)).toBe(true)
  })

  it('journals the period it issued, step by step as the runner; in test mode it issues nothing', async () => {
    const journalType = journalTypeCommand(1030)
    await portal.call(journalType.method, journalType.params)
    const id = await deal('Поддержка сайта', 'buh@romashka.example')
    await saveSubscription(portal, id, monthly, 2, 'ru')
    setClock('2026-03-02')
    const file = join(await mkdtemp(join(tmpdir(), 'subscriptions-journal-')), 'settings.json')
    const write = (patch: Partial<InvoiceDeskSettings>) => writeFile(file, JSON.stringify({ [SETTINGS_OPTION]: { ...settings(), journal: { entityTypeId: 1030, keepDays: 100 }, ...patch } }))
    await write({ testMode: true })
    expect(await runRemindCli(['--once'], { ...env, INVOICE_DESK_SETTINGS_FILE: file }, { out: () => {}, err: () => {} })).toBe(0)
    expect(periodInvoices(id)).toEqual([])
    await write({})
    expect(await runRemindCli(['--once'], { ...env, INVOICE_DESK_SETTINGS_FILE: file }, { out: () => {}, err: () => {} })).toBe(0)
    expect(periodInvoices(id)).toHaveLength(1)
    const page = await readJournal(portal, 1030, { ...EMPTY_JOURNAL_FILTER, dealId: id })
    expect(page.entries.map(entry => `${entry.action}:${entry.result}:${entry.by}`).reverse()).toEqual([
      'invoice:ok:runner', 'document:ok:runner', 'document:ok:runner', 'email:ok:runner', 'stage:ok:runner', 'notify:ok:runner',
      // A webhook is no app context: the "sent" trigger is left to an admin, and the journal says so.
      'trigger:needsAdmin:runner',
    ])
  })

  it('two runners that both planned the same period before either wrote: the higher invoice id deletes itself, one e-mail', async () => {
    const id = await deal('Подписка на сервис', 'buh@romashka.example')
    await saveSubscription(portal, id, monthly, 2, 'ru')
    setClock('2026-03-01')
    const env = { now: new Date(`2026-03-01T10:00:00${ZONE}`), timeZone: 'Europe/Moscow', locale: 'ru' as const, sleep: async () => {} }
    const request = { purpose: 'period-2026-03', titleSuffix: '01.03.2026–31.03.2026' }
    const [a, b] = [await prepareIssue(portal, id, settings(), env, request), await prepareIssue(portal, id, settings(), env, request)]
    expect([a.trace.invoiceId, b.trace.invoiceId]).toEqual([null, null])
    const results = await Promise.all([runIssue(portal, a, env), runIssue(portal, b, env)])
    expect(results.map(r => r.status).sort()).toEqual(['in-progress', 'sent'])
    expect(periodInvoices(id)).toEqual([`invoice-desk:deal:${id}:period-2026-03`])
    expect(invoiceMails()).toBe(1)
    // The next scheduled run finds the period done.
    const next = await run()
    expect(next.out.join('\n')).toMatch(new RegExp(`сделка #${id} · выставлять нечего`))
    expect(invoiceMails()).toBe(1)
  })

  it('after downtime issues only the current period, reports the missed one, and reports what it did', async () => {
    const id = await deal('Аренда', 'pay@lutik.example', 900)
    await saveSubscription(portal, id, { ...monthly, end: { kind: 'never' }, amount: { kind: 'fixed', amount: { amountMinor: 250000, currency: 'RUB' } } }, 2, 'ru')
    setClock('2026-03-02')
    await run()
    setClock('2026-05-03')
    const late = await run()
    expect(periodInvoices(id)).toEqual([`invoice-desk:deal:${id}:period-2026-03`, `invoice-desk:deal:${id}:period-2026-05`])
    const line = late.out.find(text => text.includes(`сделка #${id}`))!
    expect(line).toMatch(/период 01\.05\.2026–31\.05\.2026 выставлен и отправлен #\d+/)
    expect(line).toMatch(/пропущены .*01\.04\.2026–30\.04\.2026/)
    expect(line).toMatch(/следующий 01\.06\.2026/)
    const invoice = emulator.state.entities[31].items.find(item => (item as { xmlId?: string }).xmlId === `invoice-desk:deal:${id}:period-2026-05`)!
    expect(Number(invoice.opportunity)).toBe(2500)
  })

  it('tells the responsible once, with two runners, that a period went unpaid and that the subscription ends soon', async () => {
    const id = await deal('Обслуживание', 'buh@romashka.example')
    await saveSubscription(portal, id, { ...monthly, end: { kind: 'count', periods: 2 } }, 2, 'ru')
    const twice = async (day: string) => {
      setClock(day)
      const [a, b] = await Promise.all([run(), run()])
      expect([a.code, b.code], `${day}\n${a.out.join('\n')}\n${b.out.join('\n')}`).toEqual([0, 0])
    }
    await twice('2026-03-01')
    const march = emulator.state.entities[31].items.find(item => (item as { xmlId?: string }).xmlId === `invoice-desk:deal:${id}:period-2026-03`)!
    await portal.call('crm.item.update', { entityTypeId: 31, id: march.id, fields: { stageId: 'DT31_5:P' } }) // paid on time
    for (const day of ['2026-03-10', '2026-04-01', '2026-04-07', '2026-04-08', '2026-04-24', '2026-04-25', '2026-05-01'])
      await twice(day)
    const live = emulator.state.journal
      .filter(entry => entry.kind === 'notifications')
      .map(entry => entry.details as { tag: string | null, replacedBy: number | null, toUserId: number, message: string })
      .filter(details => details.tag?.startsWith(`INVOICE_DESK|SUBSCRIPTION|${id}|`) && details.replacedBy === null)
    expect(live.map(n => n.tag).sort()).toEqual([`INVOICE_DESK|SUBSCRIPTION|${id}|endsSoon:2026-04-30`, `INVOICE_DESK|SUBSCRIPTION|${id}|unpaid:period-2026-04`])
    expect(live.every(n => n.toUserId === 2)).toBe(true)
    // Sent on the first day each was due only (by both runners at most; the second replaced the first): the deal's record stops repeats.
    const all = emulator.state.journal.filter(entry => entry.kind === 'notifications' && String((entry.details as { tag: string | null }).tag).startsWith(`INVOICE_DESK|SUBSCRIPTION|${id}|`))
    expect(all.length).toBeLessThanOrEqual(4)
    expect(live.find(n => n.tag!.includes('unpaid'))!.message).toMatch(/^Платёж по подписке не прошёл: счёт СЧ-\d+ по сделке «Обслуживание» не оплачен в срок \(06\.04\.2026\)\.$/)
    expect(live.find(n => n.tag!.includes('endsSoon'))!.message).toContain('заканчивается 30.04.2026')
  })

  it('a period whose chain stopped before the e-mail is finished by the next run, never issued twice', async () => {
    const id = await deal('Лицензии', 'buh@romashka.example')
    await saveSubscription(portal, id, monthly, 2, 'ru')
    setClock('2026-03-01')
    emulator.engine.faults.add({ method: 'crm.activity.add', times: 1, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Mail server unavailable' })
    const first = await run()
    expect(first.code).toBe(1)
    expect(first.out.join('\n')).toMatch(/НЕ УДАЛОСЬ на шаге отправка письма/)
    expect(invoiceMails()).toBe(0)
    setClock('2026-03-02')
    const second = await run()
    expect(second.code, second.out.join('\n')).toBe(0)
    expect(second.out.join('\n')).toMatch(/период 01\.03\.2026–31\.03\.2026 выставлен и отправлен/)
    expect(invoiceMails()).toBe(1)
    setClock('2026-03-03')
    expect((await run()).out.join('\n')).toMatch(new RegExp(`сделка #${id} · выставлять нечего`))
    expect(periodInvoices(id)).toEqual([`invoice-desk:deal:${id}:period-2026-03`])
    expect(invoiceMails()).toBe(1)
  })

  it('auto-renewal: the next period goes out as soon as the previous is paid, and not while it is unpaid', async () => {
    const id = await deal('Абонемент', 'buh@romashka.example')
    await saveSubscription(portal, id, { ...monthly, renewOnPayment: true }, 2, 'ru')
    const pay = async (purpose: string) => {
      const invoice = emulator.state.entities[31].items.find(item => (item as { xmlId?: string }).xmlId === `invoice-desk:deal:${id}:${purpose}`)!
      await portal.call('crm.item.update', { entityTypeId: 31, id: invoice.id, fields: { stageId: 'DT31_5:P' } })
    }
    const on = async (day: string) => {
      setClock(day)
      await Promise.all([run(), run()])
      return periodInvoices(id).map(key => key.slice(key.lastIndexOf(':') + 1))
    }
    expect(await on('2026-03-01')).toEqual(['period-2026-03'])
    expect(await on('2026-03-04')).toEqual(['period-2026-03'])
    await pay('period-2026-03')
    expect(await on('2026-03-05')).toEqual(['period-2026-03', 'period-2026-04'])
    expect(await on('2026-04-01')).toEqual(['period-2026-03', 'period-2026-04'])
    expect(await on('2026-05-01')).toEqual(['period-2026-03', 'period-2026-04'])
    await pay('period-2026-04')
    expect(await on('2026-05-02')).toEqual(['period-2026-03', 'period-2026-04', 'period-2026-05'])
    expect(await on('2026-06-01')).toEqual(['period-2026-03', 'period-2026-04', 'period-2026-05'])
    expect(invoiceMails()).toBe(3)
  })

  it('finds a schedule written before more than a page of newer timeline entries, and the newest schedule wins', async () => {
    const id = await deal('Сервис', 'buh@romashka.example')
    await saveSubscription(portal, id, { ...monthly, startDate: '2026-02-01' }, 2, 'ru')
    await saveSubscription(portal, id, monthly, 2, 'ru')
    for (let n = 0; n < 23; n++)
      await portal.call('crm.timeline.logmessage.add', { fields: { entityTypeId: 2, entityId: id, title: 'Звонок', text: `Звонок клиенту ${n}`, iconCode: 'info' } })
    setClock('2026-02-27')
    expect((await run()).out.join('\n')).toMatch(new RegExp(`сделка #${id} · выставлять нечего · следующий 01\\.03\\.2026`))
    setClock('2026-03-01')
    await run()
    expect(periodInvoices(id)).toEqual([`invoice-desk:deal:${id}:period-2026-03`])
  })

  it('a dry run issues nothing; a stopped subscription issues nothing more', async () => {
    const id = await deal('Хостинг', 'it@romashka.example')
    await saveSubscription(portal, id, monthly, 2, 'ru')
    setClock('2026-03-01')
    const dry = await run('--dry-run')
    expect(dry.out.join('\n')).toMatch(new RegExp(`сделка #${id} · период 01\\.03\\.2026–31\\.03\\.2026 к выставлению`))
    expect(periodInvoices(id)).toEqual([])
    await stopSubscription(portal, id, 2, 'ru')
    setClock('2026-04-01')
    await run()
    expect(periodInvoices(id)).toEqual([])
  })
})
