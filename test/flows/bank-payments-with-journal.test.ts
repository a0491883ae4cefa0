// A statement's payments recorded and journaled together, against the emulator over https with the real webhook client.
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import type { StatementLine } from '../fixtures/bank/statement-builder.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeStatement } from '../../src/domain/bank/decode-statement.ts'
import { parse1CStatement } from '../../src/domain/bank/parse-1c-statement.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { prepareBankImport } from '../../src/flows/bank-import.ts'
import { recordBankPaymentsWithJournal } from '../../src/flows/bank-payments-with-journal.ts'
import { EMPTY_JOURNAL_FILTER, journalTypeCommand, readJournal } from '../../src/portal/journal/journal-store.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { startEmulator } from '../emulator/server.ts'
import { buildStatement1C } from '../fixtures/bank/statement-builder.ts'
import { encodeWindows1251 } from '../fixtures/bank/windows-1251.ts'

const JOURNAL = 1030

describe('flows/bank-payments-with-journal', () => {
  let emulator: RunningEmulator
  let portal: PortalClient

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off' })
    portal = connectWithWebhook(emulator.webhookUrl, { caCertificate: await readFile(emulator.caCertPath!, 'utf8') })
    const command = journalTypeCommand(JOURNAL)
    await portal.call(command.method, command.params)
  })
  afterAll(() => emulator.close())

  const settings: InvoiceDeskSettings = { ...defaultSettings(), journal: { entityTypeId: JOURNAL, keepDays: 100 } }

  it('records the matched payments, shows their outcomes, then journals one entry per allocation with the allocation\'s amount', async () => {
    const invoice = (id: number) => emulator.state.entities[31].byId.get(id)!
    const innOf = (companyId: number) => emulator.state.requisites!.find(r => r.ENTITY_TYPE_ID === '4' && Number(r.ENTITY_ID) === companyId)!.RQ_INN
    const today = new Date(emulator.engine.clock.now() + 3 * 3_600_000).toISOString().slice(0, 10)
    const lines: StatementLine[] = [
      { number: '201', date: today, amountMinor: Math.round(Number(invoice(1).opportunity) * 100), payerInn: innOf(Number(invoice(1).companyId)), payerName: 'ООО «Медиа Групп»', purpose: `Оплата по счету № ${String(invoice(1).accountNumber)}` },
      { number: '202', date: today, amountMinor: 4_000_000, payerInn: innOf(Number(invoice(53).companyId)), payerName: 'ИП Соколова Е. Н.', purpose: 'Частичная оплата сч. 53, НДС не облагается' },
    ]
    const { text, encoding } = decodeStatement(encodeWindows1251(buildStatement1C(lines)))
    const prep = await prepareBankImport(portal, parse1CStatement(text, encoding))
    expect(prep.matches.map(match => [match.status, match.allocations.map(a => a.invoiceId)])).toEqual([['matched', [1]], ['matched', [53]]])

    const journaledWhenShown: number[] = []
    const recorded = await recordBankPaymentsWithJournal(portal, prep.matches, { stages: prep.stages, settings, env: { today: prep.today, locale: 'ru' } }, 'user', {
      onRecorded: () => {
        journaledWhenShown.push(emulator.state.entities[JOURNAL]?.items.length ?? 0)
      },
    })
    expect(recorded.outcomes.map(document => document.outcomes.map(outcome => outcome.status))).toEqual([['paid'], ['partial']])
    expect(recorded.journal).toEqual({ status: 'written', where: 'journal' })
    expect(journaledWhenShown).toEqual([0])

    const page = await readJournal(portal, JOURNAL, EMPTY_JOURNAL_FILTER)
    // Besides the payments, what followed them (here the app trigger a non-admin may not fire) is journaled too.
    expect(page.entries.filter(entry => entry.action === 'payment').map(entry => [entry.action, entry.by, entry.invoiceId, entry.result]).sort()).toEqual([['payment', 'user', 1, 'ok'], ['payment', 'user', 53, 'ok']])
    expect(page.entries.find(entry => entry.invoiceId === 53)!.summary).toMatch(/^Оплата 40\s000,00/)
  })
})
