// The scheduled reminder runner end to end: the real SDK webhook client over https against the
// emulator, the emulator's clock moved across a schedule, and the outbox counted.
import type { RunningEmulator } from '../../test/emulator/server.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startRunnerPortal } from './support/runner-portal.ts'
import { EMPTY_JOURNAL_FILTER, journalTypeCommand, readJournal } from '../../src/portal/journal/journal-store.ts'
import { stateFingerprint } from '../emulator/control/state-fingerprint.ts'
import { runRemindCli } from '../../src/cli/remind.ts'
import { decideReminder, executeSweep, prepareSweep } from '../../src/flows/run-reminders.ts'
import { parseRecord, taggedText } from '../../src/domain/collection/collection-record.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { SETTINGS_OPTION } from '../../src/domain/settings/read-settings.ts'
import { machineTagOf } from '../../src/domain/text/machine-tag.ts'
import { addCompany, addInvoice, settingsWithSteps } from '../support/runner-data.ts'

const ZONE = '+03:00'
let emulator: RunningEmulator
let portal: PortalClient
let env: NodeJS.ProcessEnv

function settings(): InvoiceDeskSettings {
  return settingsWithSteps([
    { offsetDays: -3, channel: 'email', templateId: 'reminderBeforeDue' },
    { offsetDays: 0, channel: 'email', templateId: 'reminderOnDue' },
    { offsetDays: 3, channel: 'email', templateId: 'reminderOverdue' },
    { offsetDays: 7, channel: 'notify', templateId: 'reminderOverdue' },
  ], base => ({ deal: { ...base.deal, stageAfterPaid: 'WON' } }))
}

function setClock(day: string, time = '10:00'): void {
  emulator.engine.clock.set(new Date(`${day}T${time}:00${ZONE}`))
}

async function run(...args: string[]): Promise<{ code: number, out: string[] }> {
  const out: string[] = []
  const code = await runRemindCli(['--once', ...args], env, { out: line => out.push(line), err: line => out.push(line) })
  return { code, out }
}

interface Sent { day: string, subject: string, to: string[], owner: { typeId: number, id: number } }

function outbox(): Sent[] {
  return emulator.state.journal
    .filter(entry => entry.kind === 'outbox')
    .map((entry) => {
      const details = entry.details as { subject: string, to: string[], owner: { typeId: number, id: number } }
      const day = new Date(Date.parse(entry.at) + 3 * 3_600_000).toISOString().slice(0, 10)
      return { day, subject: details.subject, to: details.to, owner: details.owner }
    })
}

/** Live notifications (not replaced by a later one with the same TAG) whose tag starts with `prefix`. */
function notifications(prefix = 'INVOICE_DESK|REMIND|'): number {
  return emulator.state.journal
    .filter(entry => entry.kind === 'notifications')
    .map(entry => entry.details as { tag: string | null, replacedBy: number | null })
    .filter(details => details.tag?.startsWith(prefix) && details.replacedBy === null)
    .length
}

const company = (title: string, email: string): Promise<number> => addCompany({ portal, emulator }, title, email)
const invoice = (companyId: number, due: string, sum?: number): Promise<number> => addInvoice({ portal }, companyId, due, sum)

/** Runs the runner once a day at 10:00 from `from` to `to` inclusive. */
async function daily(from: string, to: string): Promise<number[]> {
  const codes: number[] = []
  for (let day = from; day <= to; day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
    setClock(day)
    codes.push((await run()).code)
  }
  return codes
}

beforeAll(async () => {
  ({ emulator, portal, env } = await startRunnerPortal(settings(), new Date(`2026-03-02T10:00:00${ZONE}`)))
})

afterAll(() => emulator?.close())

beforeEach(() => {
  emulator.engine.reset('empty')
  setClock('2026-03-02')
})

describe('npm run remind -- --once (webhook over https)', () => {
  it('sends each step on its business day: -3, 0, +3 moved off the 9 March holiday, +7 as a notification', async () => {
    const id = await invoice(await company('ООО «Ромашка»', 'buh@romashka.example'), '2026-03-06')
    const codes = await daily('2026-03-02', '2026-03-16')
    expect(codes.every(code => code === 0)).toBe(true)
    const mine = outbox().filter(mail => mail.owner.id === id)
    expect(mine.map(mail => mail.day)).toEqual(['2026-03-03', '2026-03-06', '2026-03-10'])
    expect(mine.every(mail => mail.to[0] === 'buh@romashka.example')).toBe(true)
    expect(notifications()).toBe(1)
  })

  it('sends nothing before the send hour, then the step at the hour', async () => {
    await invoice(await company('ООО «Ромашка»', 'buh@romashka.example'), '2026-03-06')
    setClock('2026-03-03', '08:30')
    expect((await run()).code).toBe(0)
    expect(outbox()).toHaveLength(0)
    setClock('2026-03-03', '09:05')
    await run()
    expect(outbox()).toHaveLength(1)
  })

  it('stops after a payment', async () => {
    const id = await invoice(await company('ООО «Ромашка»', 'buh@romashka.example'), '2026-03-06')
    await daily('2026-03-02', '2026-03-04')
    await portal.call('crm.item.update', { entityTypeId: 31, id, fields: { stageId: 'DT31_5:P' } })
    await daily('2026-03-05', '2026-03-20')
    expect(outbox().map(mail => mail.day)).toEqual(['2026-03-03'])
    expect(notifications()).toBe(0)
  })

  it('pauses for a promised date, then catches up with the latest step only', async () => {
    const id = await invoice(await company('ООО «Ромашка»', 'buh@romashka.example'), '2026-03-06')
    await daily('2026-03-02', '2026-03-04')
    await portal.call('crm.timeline.logmessage.add', { fields: { entityTypeId: 31, entityId: id, title: 'Обещание', text: taggedText('Клиент обещал оплатить до 11.03.2026', { kind: 'promise', on: '2026-03-11' }), iconCode: 'info' } })
    await daily('2026-03-05', '2026-03-12')
    expect(outbox().map(mail => mail.day)).toEqual(['2026-03-03', '2026-03-12'])
    expect(outbox()[1]!.subject).toContain('просрочен')
    // The broken promise is written once into the invoice's timeline, however many runs follow.
    await daily('2026-03-13', '2026-03-14')
    const broken = emulator.state.journal.filter(entry => entry.kind === 'timeline' && JSON.stringify(machineTagOf(String((entry.details as { text: string }).text))).includes('"kind":"promiseBroken"'))
    expect(broken).toHaveLength(1)
    expect((broken[0]!.details as { owner: { id: number } }).owner.id).toBe(id)
  })

  it('two runners started together send each step once', async () => {
    await invoice(await company('ООО «Ромашка»', 'buh@romashka.example'), '2026-03-06')
    await invoice(await company('ООО «Лютик»', 'pay@lutik.example'), '2026-03-06', 2500)
    setClock('2026-03-03')
    const [a, b] = await Promise.all([run(), run()])
    expect([a.code, b.code]).toEqual([0, 0])
    expect(outbox()).toHaveLength(2)
    expect(new Set(outbox().map(mail => mail.to[0]))).toEqual(new Set(['buh@romashka.example', 'pay@lutik.example']))
    setClock('2026-03-03', '11:00')
    await Promise.all([run(), run()])
    expect(outbox()).toHaveLength(2)
  })

  /** Whether the invoices' manager (user 2) has a CRM mailbox: without one Bitrix24 refuses the e-mail and keeps its activity. */
  const mailbox = (on: boolean) => {
    emulator.state.users.find(user => user.id === 2)!.crmMailbox = on
  }

  it('a connection dropped after the send: the rerun sends nothing twice, and the "sent" record written with the e-mail counts it as sent', async () => {
    const id = await invoice(await company('ООО «Ромашка»', 'buh@romashka.example'), '2026-03-06')
    setClock('2026-03-03')
    emulator.engine.faults.add({ method: 'crm.activity.add', times: 1, kind: 'drop-after', status: 0, code: '', description: '' })
    const first = await run()
    expect(first.code).toBe(1)
    expect(outbox()).toHaveLength(1)
    setClock('2026-03-03', '10:02')
    expect((await run()).code).toBe(0)
    setClock('2026-03-03', '10:15')
    const late = await run()
    expect(late.code).toBe(0)
    expect(late.out.join('\n')).toMatch(/решает человек 0/)
    expect(records(id)).toEqual(['-3 claim', '-3 sent'])
    await daily('2026-03-04', '2026-03-06')
    expect(outbox().filter(mail => mail.owner.id === id).map(mail => mail.day)).toEqual(['2026-03-03', '2026-03-06'])
  })

  it('a refused e-mail whose answer was lost: after the lease its activity without a "sent" record is "outcome unknown" for a person, never counted as sent', async () => {
    const id = await invoice(await company('ООО «Ромашка»', 'buh@romashka.example'), '2026-03-06')
    setClock('2026-03-03')
    mailbox(false)
    emulator.engine.faults.add({ method: 'crm.activity.add', times: 1, kind: 'drop-after', status: 0, code: '', description: '' })
    expect((await run()).code).toBe(1)
    expect(outbox()).toHaveLength(0)
    setClock('2026-03-03', '10:15')
    const late = await run()
    expect(late.code).toBe(0)
    expect(late.out.join('\n')).toMatch(/решает человек 1/)
    expect(late.out.join('\n')).toMatch(new RegExp(`РЕШАЕТ ЧЕЛОВЕК #${id} за 3 дн\\. до срока, письмо клиенту: .*ушло ли оно — неизвестно`))
    expect(records(id)).toEqual(['-3 claim', '-3 unknown activityFound'])
    // Later runs leave it to the person and say so; the next step goes out on its day.
    mailbox(true)
    setClock('2026-03-04')
    // The reason in the runner's language (--locale ru by default), as the reminder queue words it.
    expect((await run()).out.join('\n')).toMatch(new RegExp(`пропуск +#${id} .* · Не известно, ушло ли письмо`))
    await daily('2026-03-04', '2026-03-06')
    expect(outbox().filter(mail => mail.owner.id === id).map(mail => mail.day)).toEqual(['2026-03-06'])
  })

  it('a person decides a step whose outcome is unknown: "send again" offers it to the next run, "it went out" settles it', async () => {
    // Each e-mail is refused (no mailbox) in a batch whose answer is lost: their activities stay.
    mailbox(false)
    const first = await invoice(await company('ООО «Ромашка»', 'buh@romashka.example'), '2026-03-06')
    setClock('2026-03-03')
    emulator.engine.faults.add({ method: 'crm.activity.add', times: 1, kind: 'drop-after', status: 0, code: '', description: '' })
    await run()
    const second = await invoice(await company('ООО «Лютик»', 'pay@lutik.example'), '2026-03-06', 2500)
    setClock('2026-03-03', '10:01')
    emulator.engine.faults.add({ method: 'crm.activity.add', times: 1, kind: 'drop-after', status: 0, code: '', description: '' })
    await run()
    setClock('2026-03-03', '10:20')
    expect((await run()).out.join('\n')).toMatch(/решает человек 2/)
    expect(outbox()).toHaveLength(0)
    mailbox(true)
    await decideReminder(portal, { invoiceId: first, stepKey: '-3', channel: 'email' }, 'resend', 'ru', 'person')
    await decideReminder(portal, { invoiceId: second, stepKey: '-3', channel: 'email' }, 'sent', 'ru', 'person')
    setClock('2026-03-03', '10:25')
    expect((await run()).code).toBe(0)
    expect(outbox().map(mail => mail.owner.id)).toEqual([first])
    expect(records(first).at(-1)).toBe('-3 sent')
    expect(records(second)).toEqual(['-3 claim', '-3 unknown activityFound', '-3 sent confirmed'])
  })

  it('a connection dropped before the send: nothing went out, and the rerun after the lease sends it (nothing missed)', async () => {
    await invoice(await company('ООО «Ромашка»', 'buh@romashka.example'), '2026-03-06')
    setClock('2026-03-03')
    emulator.engine.faults.add({ method: 'crm.activity.add', times: 1, kind: 'drop', status: 0, code: '', description: '' })
    expect((await run()).code).toBe(1)
    expect(outbox()).toHaveLength(0)
    setClock('2026-03-03', '10:15')
    expect((await run()).code).toBe(0)
    expect(outbox()).toHaveLength(1)
  })

  /** A settings file for this test: the shared settings with `patch` applied to the reminders. */
  async function remindersFile(patch: Record<string, unknown>): Promise<string> {
    const file = join(await mkdtemp(join(tmpdir(), 'remind-steps-')), 'settings.json')
    const base = settings()
    await writeFile(file, JSON.stringify({ [SETTINGS_OPTION]: { ...base, reminders: { ...base.reminders, ...patch } } }))
    return file
  }

  async function runWith(file: string, connect?: typeof connectWithWebhook): Promise<{ code: number, out: string[] }> {
    const out: string[] = []
    const code = await runRemindCli(['--once'], { ...env, INVOICE_DESK_SETTINGS_FILE: file }, { out: line => out.push(line), err: line => out.push(line) }, connect)
    return { code, out }
  }

  /** The invoice's reminder records as the timeline holds them: `step status reason`. */
  function records(invoiceId: number): string[] {
    return emulator.state.journal
      .filter(entry => entry.kind === 'timeline' && (entry.details as { owner: { id: number } }).owner.id === invoiceId)
      .map(entry => parseRecord(String((entry.details as { text: string }).text)))
      .filter(record => record?.kind === 'reminder')
      .map(record => record!.kind === 'reminder' ? `${record!.step} ${record!.status}${record!.reason ? ` ${record!.reason}` : ''}` : '')
  }

  it('an e-mail the portal refused with an empty error code is recorded as failed with its words, and the next run sends it', async () => {
    const id = await invoice(await company('ООО «Ромашка»', 'buh@romashka.example'), '2026-03-06')
    setClock('2026-03-03')
    emulator.engine.faults.add({ method: 'crm.activity.add', times: 1, kind: 'error', status: 400, code: '', description: 'Email send error. Invalid email is specified' })
    const first = await run()
    expect(first.code).toBe(1)
    expect(first.out.join('\n')).toMatch(/НЕ УДАЛОСЬ #\d+ за 3 дн\. до срока, письмо клиенту: Email send error\. Invalid email is specified/)
    expect(records(id)).toEqual(['-3 claim', '-3 failed Email send error. Invalid email is specified'])
    expect(outbox()).toHaveLength(0)
    setClock('2026-03-03', '11:00')
    expect((await run()).code).toBe(0)
    expect(outbox()).toHaveLength(1)
    expect(records(id).at(-1)).toBe('-3 sent')
  })

  it('an escalation and a task the portal refused with an empty error code are failed, not sent, and go out on the next run', async () => {
    const file = await remindersFile({ steps: [{ offsetDays: 3, channel: 'escalate', templateId: 'reminderOverdue' }, { offsetDays: 3, channel: 'task', templateId: 'reminderOverdue' }] })
    const id = await invoice(await company('ООО «Ромашка»', 'buh@romashka.example'), '2026-03-06')
    setClock('2026-03-10')
    emulator.engine.faults.add({ method: 'im.notify.system.add', times: 1, kind: 'error', status: 400, code: '', description: 'Access denied.' })
    emulator.engine.faults.add({ method: 'tasks.task.add', times: 1, kind: 'error', status: 400, code: '', description: 'Access denied.' })
    const first = await runWith(file)
    expect(first.code).toBe(1)
    expect(first.out.join('\n')).toMatch(/НЕ УДАЛОСЬ #\d+ через 3 дн\. после срока, эскалация: Access denied\./)
    expect(first.out.join('\n')).toMatch(/НЕ УДАЛОСЬ #\d+ через 3 дн\. после срока, задача ответственному: Access denied\./)
    expect(records(id).filter(line => line.includes('failed'))).toHaveLength(2)
    expect(notifications()).toBe(0)
    expect(emulator.state.journal.filter(entry => entry.kind === 'tasks')).toHaveLength(0)
    setClock('2026-03-10', '11:00')
    expect((await runWith(file)).code).toBe(0)
    expect(notifications()).toBe(1)
    expect(emulator.state.journal.filter(entry => entry.kind === 'tasks')).toHaveLength(1)
  })

  it('an escalation with no one to escalate to is a setting reported once, not a failure: exit 0, and never a failed run the next day', async () => {
    const file = await remindersFile({ steps: [{ offsetDays: 3, channel: 'escalate', templateId: 'reminderOverdue' }], escalationUserIds: [] })
    const companyId = await company('ООО «Ромашка»', 'buh@romashka.example')
    const ids = [await invoice(companyId, '2026-03-06'), await invoice(companyId, '2026-03-06', 2500)]
    for (const id of ids)
      await portal.call('crm.item.update', { entityTypeId: 31, id, fields: { assignedById: 4 } })
    setClock('2026-03-10')
    const first = await runWith(file)
    expect(first.code).toBe(0)
    const gapLines = first.out.filter(line => line.includes('НАСТРОЙКА'))
    expect(gapLines).toHaveLength(1)
    expect(gapLines[0]).toContain(`#${ids[0]}`)
    expect(gapLines[0]).toContain('Кого ещё уведомлять при эскалации')
    expect(first.out.join('\n')).not.toMatch(/НЕ УДАЛОСЬ #/)
    setClock('2026-03-11')
    expect((await runWith(file)).code).toBe(0)
  })

  it('a runner killed right after sending escalations, or whose answer was lost: the next run after the lease sends no notification again', async () => {
    const file = await remindersFile({ steps: [{ offsetDays: 3, channel: 'escalate', templateId: 'reminderOverdue' }] })
    const companyId = await company('ООО «Ромашка»', 'buh@romashka.example')
    const ids = [await invoice(companyId, '2026-03-06'), await invoice(companyId, '2026-03-06', 2500)]
    setClock('2026-03-10')
    // The process dies as soon as the request with the notifications has returned: nothing after it runs.
    const killedAfterNotify: typeof connectWithWebhook = (url, options) => {
      const real = connectWithWebhook(url, options)
      return {
        ...real,
        batch: async (calls, batchOptions) => {
          const outcomes = await real.batch(calls, batchOptions)
          if (Object.values(calls).some(call => call.method === 'im.notify.system.add'))
            throw new Error('killed')
          return outcomes
        },
      }
    }
    expect((await runWith(file, killedAfterNotify)).code).not.toBe(0)
    const sent = () => emulator.state.journal.filter(entry => entry.kind === 'notifications')
    expect(sent()).toHaveLength(2)
    setClock('2026-03-10', '10:15')
    expect((await runWith(file)).code).toBe(0)
    setClock('2026-03-11')
    expect((await runWith(file)).code).toBe(0)
    expect(sent()).toHaveLength(2)
    expect(notifications()).toBe(2)
    for (const id of ids)
      expect(records(id)).toEqual(['+3 claim', '+3 sent'])

    // The connection drops after the portal sent and recorded them: the same.
    const third = await invoice(companyId, '2026-03-09')
    setClock('2026-03-12')
    emulator.engine.faults.add({ method: 'im.notify.system.add', times: 1, kind: 'drop-after', status: 0, code: '', description: '' })
    expect((await runWith(file)).code).toBe(1)
    setClock('2026-03-12', '10:15')
    expect((await runWith(file)).code).toBe(0)
    expect(sent()).toHaveLength(3)
    expect(records(third)).toEqual(['+3 claim', '+3 sent'])
  })

  it('a plan left open (the queue) sends nothing that became wrong since: a step sent by the runner, a promise', async () => {
    const first = await invoice(await company('ООО «Ромашка»', 'buh@romashka.example'), '2026-03-06')
    const second = await invoice(await company('ООО «Лютик»', 'pay@lutik.example'), '2026-03-06', 2500)
    setClock('2026-03-03')
    const options = { locale: 'ru' as const, runnerId: 'queue' }
    const stale = await prepareSweep(portal, settings(), options)
    expect(stale.previews).toHaveLength(2)
    await run() // the cron sends both while the queue stays open
    expect(outbox()).toHaveLength(2)
    const late = await executeSweep(portal, stale, options)
    expect(late.outcomes.map(o => o.status)).toEqual(['lost', 'lost'])
    expect(outbox()).toHaveLength(2)

    setClock('2026-03-06')
    const next = await prepareSweep(portal, settings(), options)
    await portal.call('crm.timeline.logmessage.add', { fields: { entityTypeId: 31, entityId: second, title: 'Обещание', text: taggedText('Обещал до 10.03', { kind: 'promise', on: '2026-03-10' }), iconCode: 'info' } })
    const result = await executeSweep(portal, next, options)
    expect(result.outcomes.filter(o => o.status === 'sent').map(o => o.invoiceId)).toEqual([first])
    expect(outbox()).toHaveLength(3)
  })

  it('escalates to the responsible\'s supervisor, the head of their department (im.department.managers.get)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'remind-escalate-'))
    const file = join(dir, 'settings.json')
    const base = settings()
    await writeFile(file, JSON.stringify({ [SETTINGS_OPTION]: { ...base, reminders: { ...base.reminders, steps: [{ offsetDays: 3, channel: 'escalate', templateId: 'reminderOverdue' }] } } }))
    await invoice(await company('ООО «Ромашка»', 'buh@romashka.example'), '2026-03-06') // responsible: manager 2, «Отдел продаж»
    setClock('2026-03-10')
    const out: string[] = []
    const code = await runRemindCli(['--once'], { ...env, INVOICE_DESK_SETTINGS_FILE: file }, { out: line => out.push(line), err: line => out.push(line) })
    expect(code).toBe(0)
    const escalations = emulator.state.journal
      .filter(entry => entry.kind === 'notifications')
      .map(entry => entry.details as { tag: string | null, toUserId: number, message: string })
      .filter(details => details.tag?.startsWith('INVOICE_DESK|REMIND|'))
    expect(escalations.map(e => e.toUserId)).toEqual([1])
    expect(escalations[0]!.message).toMatch(/^Эскалация/)
  })

  it('a dry run prints the plan and writes nothing', async () => {
    await invoice(await company('ООО «Ромашка»', 'buh@romashka.example'), '2026-03-06')
    setClock('2026-03-03')
    const before = emulator.state.journal.length
    const dry = await run('--dry-run')
    expect(dry.code).toBe(0)
    expect(dry.out.join('\n')).toMatch(/buh@romashka\.example/)
    expect(emulator.state.journal.length).toBe(before)
    expect(outbox()).toHaveLength(0)
  })

  /** A settings file for this test: the shared settings with `patch` applied. */
  async function settingsFile(patch: Record<string, unknown>): Promise<string> {
    const file = join(await mkdtemp(join(tmpdir(), 'remind-journal-')), 'settings.json')
    await writeFile(file, JSON.stringify({ [SETTINGS_OPTION]: { ...settings(), ...patch } }))
    return file
  }

  it('warns in one line when the calendar has no data for the year, and says nothing when it has', async () => {
    setClock('2027-12-10')
    const lines = async () => {
      const out: string[] = []
      await runRemindCli(['--once', '--dry-run'], env, { out: () => {}, err: line => out.push(line) })
      return out.filter(line => line.startsWith('ВНИМАНИЕ'))
    }
    expect(await lines()).toEqual(['ВНИМАНИЕ: нет производственного календаря на 2028: праздники этого года считаются рабочими днями, пока их не добавят в Настройках → Напоминания.'])
    setClock('2027-03-10')
    expect(await lines()).toEqual([])
  })

  it('journals what it sent, as the runner, into the journal\'s smart process; in test mode it is a dry run that writes nothing', async () => {
    const journalType = journalTypeCommand(1030)
    await portal.call(journalType.method, journalType.params)
    await invoice(await company('ООО «Ромашка»', 'buh@romashka.example'), '2026-03-06')
    setClock('2026-03-03')
    const out: string[] = []
    const testMode = await settingsFile({ journal: { entityTypeId: 1030, keepDays: 100 }, testMode: true })
    const before = stateFingerprint(emulator.state)
    expect(await runRemindCli(['--once'], { ...env, INVOICE_DESK_SETTINGS_FILE: testMode }, { out: line => out.push(line), err: line => out.push(line) })).toBe(0)
    expect(out.join('\n')).toContain('В настройках включён тестовый режим: этот запуск — пробный.')
    expect(stateFingerprint(emulator.state)).toBe(before)

    const journaled = await settingsFile({ journal: { entityTypeId: 1030, keepDays: 100 } })
    expect(await runRemindCli(['--once'], { ...env, INVOICE_DESK_SETTINGS_FILE: journaled }, { out: () => {}, err: () => {} })).toBe(0)
    expect(outbox()).toHaveLength(1)
    const page = await readJournal(portal, 1030, EMPTY_JOURNAL_FILTER)
    expect(page.entries.map(entry => [entry.action, entry.result, entry.by])).toEqual([['reminder', 'ok', 'runner']])
  })

  it('follows up an invoice paid outside the app once: balance recorded, deal moved, one notification', async () => {
    const companyId = await company('ООО «Ромашка»', 'buh@romashka.example')
    const deal = await portal.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 2, fields: { title: 'Сделка', companyId, stageId: 'EXECUTING', assignedById: 2, opportunity: 1500 } })
    const id = (await portal.call<{ item: { id: number } }>('crm.item.add', {
      entityTypeId: 31,
      fields: { title: 'Счёт', companyId, parentId2: deal.item.id, stageId: 'DT31_5:S', categoryId: 5, begindate: '2026-02-20', closedate: '2026-03-06', opportunity: 1500, currencyId: 'RUB', assignedById: 2 },
    })).item.id
    setClock('2026-03-04')
    await portal.call('crm.item.update', { entityTypeId: 31, id, fields: { stageId: 'DT31_5:P' } })
    setClock('2026-03-05')
    const first = await run()
    expect(first.code).toBe(0)
    expect(first.out.join('\n')).toMatch(new RegExp(`оплачен +#${id} 04\\.03\\.2026 · сделка передвинута`))
    expect(emulator.state.entities[2].items.find(item => item.id === deal.item.id)?.stageId).toBe('WON')
    expect(notifications('INVOICE_DESK|PAID|')).toBe(1)
    setClock('2026-03-06')
    await run()
    expect(notifications('INVOICE_DESK|PAID|')).toBe(1)
    const logs = emulator.state.journal.filter(entry => entry.kind === 'timeline' && (entry.details as { owner: { id: number } }).owner.id === id)
    expect(logs.filter(entry => JSON.stringify(machineTagOf(String((entry.details as { text: string }).text))).includes('"kind":"payment"'))).toHaveLength(1)
  })

  it('refuses to run without a webhook, and says what to set', async () => {
    const out: string[] = []
    const code = await runRemindCli(['--once'], {}, { out: line => out.push(line), err: line => out.push(line) })
    expect(code).toBe(2)
    expect(out.join('\n')).toMatch(/INVOICE_DESK_WEBHOOK_URL/)
  })
})
