// The journal screen as a reader sees it, against the emulator with the real SDK (an administrator's app
// token, as the journal page has it): entries the app wrote in Russian are shown to an English reader in
// English, to a Russian reader in Russian; deals are named by their title, read in the names batch the page
// already makes; a deleted deal keeps «Deal N»; an entry written before the journal kept its words in no
// language is shown as written, and says so.
import type { Invoice } from '../../src/domain/invoice.ts'
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { IssueResult } from '../../src/flows/issue-and-send.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import b24UiPlugin from '@bitrix24/b24ui-nuxt/vue-plugin'
import { Window } from 'happy-dom'
import { createPinia, setActivePinia } from 'pinia'
import { createSSRApp, h } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import JournalEntryList from '../../src/components/journal/JournalEntryList.vue'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { issueEntries, paymentEntries, processEntries, resendEntries } from '../../src/flows/journal/journal-entries.ts'
import { recordJournal } from '../../src/flows/journal/record-journal.ts'
import { EMPTY_JOURNAL_FILTER, journalTypeCommand } from '../../src/portal/journal/journal-store.ts'
import { useJournalStore } from '../../src/stores/journal.ts'
import { startEmulator } from '../emulator/server.ts'
import { createTranslator } from '../../src/i18n/translate.ts'
import { translatorKey } from '../../src/i18n/use-i18n.ts'
import { appClient } from '../support/app-client.ts'

const JOURNAL = 1030
const ADMIN = 1

describe('stores/journal + JournalEntryList: each reader reads the journal in their own language', () => {
  let emulator: RunningEmulator
  let admin: PortalClient
  let batches: number

  beforeAll(async () => {
    emulator = await startEmulator({ data: 'demo', limits: 'off' })
  })
  afterAll(() => emulator.close())
  beforeEach(async () => {
    emulator.engine.reset('demo')
    setActivePinia(createPinia())
    const client = await appClient(emulator, ADMIN)
    const command = journalTypeCommand(JOURNAL)
    await client.call(command.method, command.params)
    batches = 0
    admin = { ...client, batch: (calls, options) => (batches++, client.batch(calls, options)) }
  })

  const settings: InvoiceDeskSettings = { ...defaultSettings(), journal: { entityTypeId: JOURNAL, keepDays: 100 } }
  const deals = () => emulator.state.entities[2]!.items

  /** What runs leave: a Russian-speaking admin's issue chain e-mail step, payment and failed process, an English-speaking admin's repeat e-mail. */
  async function writeEntries(dealId: number, goneDealId: number): Promise<string> {
    const invoice = emulator.state.entities[31]!.items.find(item => Number(item.parentId2) === dealId) ?? emulator.state.entities[31]!.items[0]!
    const invoiceId = Number(invoice.id)
    const number = String(invoice.accountNumber)
    const result: IssueResult = { status: 'sent', invoiceId, invoiceNumber: number, documentUrl: null, alreadyDone: false, warnings: [] }
    const steps = { invoice: 'skipped', products: 'skipped', document: 'skipped', pdf: 'skipped', email: 'done', stages: 'skipped', notify: 'skipped' } as const
    const entries = [
      ...issueEntries({ dealId, steps, result, to: 'client@example.com', by: 'user' }, 'ru'),
      ...paymentEntries([{ invoiceId, amount: { amountMinor: 1_250_000, currency: 'RUB' }, result: { status: 'recordedElsewhere', action: 'recordPayment', invoice: { id: invoiceId, dealId, number } as Invoice } }], 'user', 'ru'),
      ...processEntries([{ kind: 'process', status: 'failed', start: { templateId: 3, name: 'Контроль оплаты', document: 'deal', parameters: {} }, documentId: null, error: new Error('boom') } as never], { dealId: goneDealId, invoiceId: null }, 'sent', 'runner', 'ru'),
      ...resendEntries({ status: 'sent', invoiceId, to: 'a@b.ru' }, dealId, invoiceId, 'en'),
    ]
    expect(await recordJournal(admin, settings, entries)).toEqual({ status: 'written', where: 'journal' })
    // An entry of an earlier version: a Russian summary and nothing else.
    await admin.call('crm.item.add', { entityTypeId: JOURNAL, fields: { title: 'Напоминание +3 (email) по счёту #5', xmlId: 'idj|reminder|ok|runner|5|-|', parentId2: dealId } })
    return number
  }

  /** The list as the journal page renders it for a reader of `locale` (server-rendered: the emulator needs Node's own globals). */
  async function rendered(locale: 'ru' | 'en') {
    const store = useJournalStore()
    const app = createSSRApp({ render: () => h(JournalEntryList, { entries: store.shown, users: store.names.users, invoices: store.names.invoices, deals: store.names.deals }) })
    app.provide(translatorKey, createTranslator(locale))
    // The kit reads the user agent when installed; Node 20 has no `navigator`.
    vi.stubGlobal('navigator', { userAgent: 'node' })
    const { document } = new Window()
    try {
      app.use(b24UiPlugin)
      document.body.innerHTML = await renderToString(app)
    }
    finally {
      vi.unstubAllGlobals()
    }
    const text = (element: { textContent: string | null }) => (element.textContent ?? '').trim()
    return [...document.querySelectorAll('[data-testid="journal-entry"]')].map(row => ({
      summary: text(row.querySelector('[data-testid="journal-summary"]')!),
      asWritten: row.querySelector('[data-testid="journal-as-written"]') !== null,
      buttons: [...row.querySelectorAll('button')].map(text),
    }))
  }

  /** The journal page's two reads: the page, then the names of what it shows (as `JournalView` does); returns the names' round trips. */
  async function openJournal(): Promise<number> {
    const store = useJournalStore()
    await store.load(admin, settings, EMPTY_JOURNAL_FILTER, { isAdmin: false, now: new Date() })
    const afterPage = batches
    await store.loadNames(admin)
    return batches - afterPage
  }

  it('an English reader reads English summaries, a Russian reader Russian ones, whichever language wrote them; an older entry is shown as written and says so', async () => {
    const [deal, other] = deals()
    const number = await writeEntries(Number(deal!.id), Number(other!.id))
    const old = String(emulator.state.entities[31]!.byId.get(5)!.accountNumber)
    await openJournal()

    const en = await rendered('en')
    expect(en.map(row => row.summary)).toEqual([
      `Напоминание +3 (email) по счёту ${old}`,
      `Invoice ${number} e-mailed again to a@b.ru`,
      'Business process «Контроль оплаты» (invoice sent)',
      `Payment of RUB\u00A012,500.00 for invoice ${number} · being recorded in another window or by another user — not recorded here`,
      `Invoice ${number} e-mailed to client@example.com`,
    ])
    expect(en.map(row => row.asWritten)).toEqual([true, false, false, false, false])

    const ru = await rendered('ru')
    expect(ru.map(row => row.summary)).toEqual([
      `Напоминание +3 (email) по счёту ${old}`,
      `Счёт ${number} отправлен повторно на a@b.ru`,
      'Бизнес-процесс «Контроль оплаты» (счёт отправлен)',
      `Оплата 12\u00A0500,00\u00A0₽ по счёту ${number} · проводится в другом окне или другим пользователем — здесь не записан`,
      `Счёт ${number} отправлен на client@example.com`,
    ])
    expect(ru.map(row => row.asWritten)).toEqual([false, false, false, false, false])
  })

  it('names deals by their title, read in the one names batch the page already makes; a deleted deal keeps its number', async () => {
    const [deal, gone] = deals()
    const goneId = Number(gone!.id)
    const number = await writeEntries(Number(deal!.id), goneId)
    await admin.call('crm.item.delete', { entityTypeId: 2, id: goneId })
    expect(emulator.state.entities[2]!.byId.has(goneId)).toBe(false)
    expect(await openJournal()).toBe(1)

    const title = String(deal!.title)
    const en = await rendered('en')
    expect(en[1]!.buttons).toEqual([`Deal: ${title}`, `Invoice ${number}`])
    expect(en[2]!.buttons).toEqual([`Deal ${goneId}`])
    const ru = await rendered('ru')
    expect(ru[1]!.buttons).toEqual([`Сделка: ${title}`, `Счёт ${number}`])
    expect(ru[2]!.buttons).toEqual([`Сделка ${goneId}`])
  })
})
