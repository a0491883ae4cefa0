import type { Page } from 'playwright-core'
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { AppUnderTest } from './support/app-under-test.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { serializeSettings } from '../../src/domain/settings/read-settings.ts'
import { createDemoJournal } from '../support/demo-journal.ts'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'
import { issuableDeal } from './support/issuable-deal.ts'

const SMART_INVOICE = 'Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice'
const CONTROL = { templateId: 3, document: 'invoice' as const, name: 'Контроль оплаты', parameters: {} }

/** «Контроль оплаты» on the invoice when it is sent and when it is paid. */
function processSettings(): InvoiceDeskSettings {
  const base = defaultSettings()
  const events = { ...base.processes.events, sent: { processes: [CONTROL], triggerCode: 'invoice_sent' }, paid: { processes: [CONTROL], triggerCode: 'invoice_paid' } }
  return { ...base, processes: { ...base.processes, events } }
}

describe('execution journal and test mode (Chromium)', () => {
  let t: AppUnderTest
  let settings: InvoiceDeskSettings
  const used = new Set<number>()

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    await t.control.post('/emulator/docgen', { pdfDelayMs: 300 })
    settings = await createDemoJournal(t.emulatorUrl, t.emulator.webhookUrl, processSettings())
  })
  afterAll(async () => t?.close())

  const state = () => t.emulator.state
  const invoicesOf = (dealId: number) => state().entities[31].items.filter(item => item.xmlId === invoiceKey(dealId))
  const fingerprint = async () => (await t.control.get<{ fingerprint: string }>('/emulator/state-fingerprint')).fingerprint

  /** The app page's journal tab: in a new window, or in `page` (the same browser profile, so the same local storage). */
  async function openJournal(lang = 'ru', page?: Page): Promise<Page> {
    const path = `/marketplace/app/?user=1&lang=${lang}`
    if (page)
      await page.goto(new URL(path, t.emulatorUrl).toString())
    page ??= await t.open(path, { width: 1100, height: 1400 })
    const frame = appFrame(page)
    await frame.locator('[data-testid="app-page-tabs"]').waitFor({ timeout: 60_000 })
    await frame.getByRole('tab', { name: lang === 'ru' ? 'Журнал' : 'Journal' }).click()
    await frame.locator('[data-testid="journal-list"], [data-testid="journal-empty"]').first().waitFor({ timeout: 30_000 })
    return page
  }

  const entriesOf = (page: Page) => appFrame(page).locator('[data-testid="journal-entry"]')
  async function actionsAndResults(page: Page): Promise<string[]> {
    return entriesOf(page).evaluateAll(nodes => nodes.map(node => `${node.getAttribute('data-action')}:${node.getAttribute('data-result')}`))
  }

  it('journals each step of issue and send; a failure injected at the process start is there with its Bitrix24 error, and the invoice is sent', async () => {
    await t.control.post('/emulator/faults', { method: 'bizproc.workflow.start', times: 1, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Internal server error' })
    const dealId = issuableDeal(state(), used)
    const page = await t.open(`/crm/deal/details/${dealId}/?tab=app&user=1&lang=ru`)
    const frame = appFrame(page)
    await frame.locator('[data-testid="issue-button"]').click({ timeout: 30_000 })
    await frame.locator('[data-testid="issue-confirm"]').click()
    const outcome = frame.locator('[data-testid="issue-outcome"]')
    await outcome.waitFor({ timeout: 30_000 })
    expect(await outcome.getAttribute('data-status')).toBe('sent')
    expect(state().journal.filter(e => e.kind === 'outbox')).toHaveLength(1)

    const journal = await openJournal()
    await appFrame(journal).locator('[data-testid="journal-filter-deal"] input, input[data-testid="journal-filter-deal"]').first().fill(String(dealId))
    await expect.poll(() => actionsAndResults(journal), { timeout: 15_000 }).toEqual([
      'process:failed', 'trigger:ok', 'notify:ok', 'stage:ok', 'email:ok', 'document:ok', 'document:ok', 'invoice:ok',
    ])
    const failed = entriesOf(journal).first()
    expect(await failed.locator('[data-testid="journal-error"]').innerText()).toContain('INTERNAL_SERVER_ERROR')
    expect(await failed.locator('[data-testid="journal-summary"]').innerText()).toContain('Контроль оплаты')
    await journal.screenshot({ path: `${ARTIFACTS}/journal-ru.png` })
  })

  it('a payment starts the "paid" process on the invoice\'s document, and the journal shows both', async () => {
    const dealId = [...used][0]!
    const invoiceId = Number(invoicesOf(dealId)[0]!.id)
    const page = await t.open(`/crm/deal/details/${dealId}/?tab=app&user=1&lang=ru`)
    const frame = appFrame(page)
    const row = frame.locator('[data-testid="invoice-table"] tbody tr').first()
    await row.locator('[data-testid="invoice-mark-paid"]').click({ timeout: 30_000 })
    await row.locator('[data-testid="invoice-confirm-paid"]').click()
    await frame.locator('[data-testid="invoice-action-outcome"]').waitFor({ timeout: 30_000 })
    const started = state().journal.filter(e => e.kind === 'workflows' && e.details.method === 'bizproc.workflow.start')
    expect(started.at(-1)!.details).toMatchObject({ templateId: 3, documentId: ['crm', SMART_INVOICE, `SMART_INVOICE_${invoiceId}`] })

    const journal = await openJournal()
    await appFrame(journal).locator('input[data-testid="journal-filter-deal"], [data-testid="journal-filter-deal"] input').first().fill(String(dealId))
    await expect.poll(async () => (await actionsAndResults(journal)).slice(0, 3), { timeout: 15_000 }).toEqual(['trigger:ok', 'process:ok', 'payment:ok'])
    expect(await entriesOf(journal).nth(1).locator('[data-testid="journal-summary"]').innerText()).toContain(`SMART_INVOICE_${invoiceId}`)
  })

  it('in test mode the click is a dry run: everything is shown, the portal\'s state is byte for byte unchanged, and the journal marks it', async () => {
    await t.control.post('/emulator/app-options', { userId: 1, options: { invoiceDesk: serializeSettings({ ...settings, testMode: true }) } })
    const dealId = issuableDeal(state(), used)
    const before = await fingerprint()
    const page = await t.open(`/crm/deal/details/${dealId}/?tab=app&user=1&lang=ru`)
    const frame = appFrame(page)
    await frame.locator('[data-testid="issue-button"]').click({ timeout: 30_000 })
    await frame.locator('[data-testid="issue-test-mode"]').waitFor({ timeout: 30_000 })
    expect(await frame.locator('[data-testid="issue-confirm"]').count()).toBe(0)
    await frame.locator('[data-testid="issue-dry-run-button"]').dblclick()
    const dry = frame.locator('[data-testid="issue-dry-run"]')
    await dry.waitFor({ timeout: 10_000 })
    expect((await dry.locator('[data-testid="dry-run-subject"]').innerText()).length).toBeGreaterThan(0)
    expect(await dry.locator('[data-testid="dry-run-body"]').innerText()).not.toContain('{')
    expect(await dry.locator('[data-testid="dry-run-processes"]').innerText()).toContain('Контроль оплаты')
    expect(await dry.locator('[data-testid="dry-run-moves"]').innerText()).toContain('Счёт перейдёт на стадию')
    await page.locator('[data-testid="app-frame"]').screenshot({ path: `${ARTIFACTS}/dry-run-ru.png` })

    // Each test window is a browser profile of its own: the journal opens where the dry run was made.
    const journal = await openJournal('ru', page)
    const dryEntries = appFrame(journal).locator('[data-testid="journal-entry"][data-result="dryRun"]')
    await dryEntries.first().waitFor({ timeout: 15_000 })
    expect(await dryEntries.count()).toBeGreaterThanOrEqual(3)
    expect(await fingerprint()).toBe(before)
    expect(invoicesOf(dealId)).toHaveLength(0)
  })

  it('speaks English and fits a narrow frame without sideways scrolling', async () => {
    const page = await t.open('/marketplace/app/?user=1&lang=en', { width: 760, height: 1200 })
    const frame = appFrame(page)
    await frame.locator('[data-testid="app-page-tabs"]').waitFor({ timeout: 60_000 })
    await frame.getByRole('tab', { name: 'Journal' }).click()
    await frame.locator('[data-testid="journal-entry"]').first().waitFor({ timeout: 30_000 })
    expect(await frame.locator('h1').innerText()).toBe('Execution journal')
    await frame.locator('[data-testid="journal-filter-result"]').click()
    await frame.getByRole('option', { name: 'Failed' }).click()
    await expect.poll(() => actionsAndResults(page), { timeout: 15_000 }).toEqual(['process:failed'])
    // Written by a Russian-speaking admin, read in English; the deal named by its title.
    const failed = entriesOf(page).first()
    expect(await failed.locator('[data-testid="journal-summary"]').innerText()).toMatch(/^Business process «Контроль оплаты» \(invoice sent\)( → SMART_INVOICE_\d+)?$/)
    const dealTitle = String(state().entities[2].byId.get([...used][0]!)!.title)
    await expect.poll(() => failed.getByRole('button', { name: `Deal: ${dealTitle}` }).count(), { timeout: 15_000 }).toBe(1)
    const overflow = await frame.locator('[data-testid="journal"]').evaluate(el => el.scrollWidth - el.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.locator('[data-testid="app-frame"]').screenshot({ path: `${ARTIFACTS}/journal-en-narrow.png` })
  })
})
