// Reminder e-mails through src/flows/run-reminders.ts on a real Bitrix24's terms: the sender (MESSAGE_FROM), the
// portal's "From" is not found explained, the public link (never pdfUrl) and no «Оплатить онлайн:» pointing at nothing.
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runRemindCli } from '../../src/cli/remind.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { executeSweep, prepareSweep } from '../../src/flows/run-reminders.ts'
import { isSenderNotFound } from '../../src/portal/email-activity.ts'
import { startRunnerPortal } from '../cli/support/runner-portal.ts'

const MARIA = 3
let emulator: RunningEmulator
let portal: PortalClient
let env: NodeJS.ProcessEnv

function settings(sender?: NonNullable<InvoiceDeskSettings['email']['sender']>): InvoiceDeskSettings {
  const base = defaultSettings()
  return {
    ...base,
    email: { ...base.email, ...(sender ? { sender } : {}) },
    reminders: { ...base.reminders, steps: [{ offsetDays: 0, channel: 'email', templateId: 'reminderOnDue' }], repeat: null },
  }
}

/** An invoice sent to a company with an address, due on 6 March 2026, of Мария Смирнова (no CRM mailbox). */
async function invoiceOfMaria(): Promise<number> {
  const company = await portal.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 4, fields: { title: 'ООО «Ромашка»' } })
  const item = emulator.state.entities[4].items.find(entry => entry.id === company.item.id)!
  Object.assign(item, { hasEmail: 'Y', email: 'buh@romashka.example', fm: [{ id: 900, valueType: 'WORK', value: 'buh@romashka.example', typeId: 'EMAIL' }] })
  const invoice = await portal.call<{ item: { id: number } }>('crm.item.add', {
    entityTypeId: 31,
    fields: { title: 'Счёт', companyId: company.item.id, stageId: 'DT31_5:S', categoryId: 5, begindate: '2026-02-20', closedate: '2026-03-06', opportunity: 1500, currencyId: 'RUB', assignedById: MARIA },
  })
  return invoice.item.id
}

const options = { locale: 'ru' as const, runnerId: 'reminder-email-test' }
const outbox = () => emulator.state.journal.filter(entry => entry.kind === 'outbox').map(entry => entry.details as { from: string, body: string })

beforeAll(async () => {
  ({ emulator, portal, env } = await startRunnerPortal(settings(), new Date('2026-03-06T10:00:00+03:00'), { pdfDelayMs: 0 }))
})
afterAll(() => emulator?.close())
beforeEach(() => {
  emulator.engine.reset('empty')
  emulator.engine.clock.set(new Date('2026-03-06T10:00:00+03:00'))
})

describe('flows/run-reminders: the reminder e-mail (sender, links)', () => {
  it('no document link: the «Оплатить онлайн:» line is left out, not sent pointing at nothing', async () => {
    await invoiceOfMaria()
    const prep = await prepareSweep(portal, settings({ source: 'company', name: 'Бухгалтерия', address: 'billing@invoice-desk.example', copyToSender: false }), options)
    const [preview] = prep.previews
    expect(preview!.sender).toMatchObject({ messageFrom: 'Бухгалтерия <billing@invoice-desk.example>' })
    expect(preview!.body).not.toContain('Оплатить онлайн')
    expect(preview!.body).toContain('К оплате: 1')
  })

  it('a manager without a CRM mailbox and no sender set: the reminder fails with "From" is not found, and the runner says what to do', async () => {
    await invoiceOfMaria()
    const prep = await prepareSweep(portal, settings(), options)
    expect(prep.previews[0]!.sender).toMatchObject({ messageFrom: null, fallback: 'portal' })
    const result = await executeSweep(portal, prep, options)
    expect(result.outcomes).toEqual([expect.objectContaining({ status: 'failed' })])
    expect(isSenderNotFound(result.outcomes[0]!.error)).toBe(true)
    expect(outbox()).toHaveLength(0)

    // The runner on the next invoice tells the admin what to do.
    await invoiceOfMaria()
    const lines: string[] = []
    expect(await runRemindCli(['--once'], env, { out: line => lines.push(line), err: line => lines.push(line) })).toBe(1)
    expect(lines.join('\n')).toContain('ЧТО ДЕЛАТЬ: Письмо не ушло: Битрикс24 не нашёл отправителя')
    expect(lines.join('\n')).toContain('укажите отправителя в настройках приложения')
  })

  it('with the company sender it goes out from it, linking the document\'s public page, never pdfUrl', async () => {
    const invoiceId = await invoiceOfMaria()
    const document = await portal.call<{ document: { id: number } }>('crm.documentgenerator.document.add', { templateId: 11, entityTypeId: 31, entityId: invoiceId })
    const { publicUrl } = await portal.call<{ publicUrl: string }>('crm.documentgenerator.document.enablepublicurl', { id: document.document.id, status: 1 })
    const sender = { source: 'company', name: 'Бухгалтерия', address: 'billing@invoice-desk.example', copyToSender: false } as const
    const prep = await prepareSweep(portal, settings(sender), options)
    const result = await executeSweep(portal, prep, options)
    expect(result.outcomes).toEqual([expect.objectContaining({ status: 'sent' })])
    const [mail] = outbox()
    expect(mail!.from).toBe('Бухгалтерия <billing@invoice-desk.example>')
    expect(mail!.body).toContain(`Оплатить онлайн: <a href="${publicUrl}">`)
    expect(mail!.body).not.toContain('ajax.php')
  })
})
