import type { Page } from 'playwright-core'
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { AppUnderTest } from './support/app-under-test.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { serializeSettings } from '../../src/domain/settings/read-settings.ts'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'
import { issuableDeal } from './support/issuable-deal.ts'

const SMART_INVOICE = 'Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice'
const CONTROL = { templateId: 3, document: 'invoice' as const, name: 'Контроль оплаты', parameters: {} }

/** «Контроль оплаты» on every sent invoice; approval «Согласование счёта» from 1 000 ₽ when `approval`. */
function settingsWith(approval: boolean): InvoiceDeskSettings {
  const base = defaultSettings()
  return {
    ...base,
    processes: {
      events: { ...base.processes.events, sent: { processes: [CONTROL], triggerCode: 'invoice_sent' } },
      approval: { enabled: approval, minAmount: { amountMinor: 100_000, currency: 'RUB' }, templateId: 1, document: 'deal', name: 'Согласование счёта' },
    },
  }
}

describe('business processes around issue and send (Chromium)', () => {
  let t: AppUnderTest
  const used = new Set<number>()

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    await t.control.post('/emulator/docgen', { pdfDelayMs: 500 })
  })
  afterAll(async () => t?.close())

  const state = () => t.emulator.state
  const invoicesOf = (dealId: number) => state().entities[31].items.filter(item => item.xmlId === invoiceKey(dealId))
  const outbox = (invoiceId: number) => state().journal.filter(e => e.kind === 'outbox' && Number((e.details as { owner?: { id?: number } }).owner?.id) === invoiceId)
  const workflows = () => state().journal.filter(e => e.kind === 'workflows')

  async function issue(page: Page): Promise<string> {
    const frame = appFrame(page)
    await frame.locator('[data-testid="issue-button"]').click()
    await frame.locator('[data-testid="issue-confirm"]').click()
    const outcome = frame.locator('[data-testid="issue-outcome"]')
    await outcome.waitFor({ timeout: 30_000 })
    return String(await outcome.getAttribute('data-status'))
  }

  it('an invoice above the approval sum waits; once the host grants the approval, it is sent and the "sent" process starts on the invoice', async () => {
    await t.control.post('/emulator/app-options', { userId: 1, options: { invoiceDesk: serializeSettings(settingsWith(true)) } })
    const dealId = issuableDeal(state(), used, 1_000)
    const page = await t.open(`/crm/deal/details/${dealId}/?tab=app&user=1&lang=ru`)
    const frame = appFrame(page)
    await frame.locator('[data-testid="issue-button"]').waitFor({ timeout: 30_000 })

    expect(await issue(page)).toBe('awaiting-approval')
    const invoiceId = Number(invoicesOf(dealId)[0]!.id)
    expect(outbox(invoiceId)).toHaveLength(0)
    expect(await frame.locator('[data-testid="issue-outcome"]').innerText()).toContain('ждёт согласования')
    const running = frame.locator('[data-testid="bizproc-item"][data-state="running"]')
    await running.waitFor({ timeout: 15_000 })
    expect(await running.innerText()).toContain('Согласование счёта')
    await running.scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${ARTIFACTS}/bizproc-section-running-ru.png` })
    await frame.locator('[data-testid="issue-outcome"]').scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${ARTIFACTS}/bizproc-waiting-ru.png` })

    // The portal journal's «Согласовать» grants the approval.
    await page.locator('[data-testid="panels-toggle"]').click()
    await page.locator('[data-testid="panel-tab-workflows"]').click()
    await page.locator('[data-testid="workflow-approve"]').click()
    await page.locator('[data-testid="workflow-approve"]').waitFor({ state: 'detached', timeout: 10_000 })
    await page.screenshot({ path: `${ARTIFACTS}/bizproc-approved-journal-ru.png` })
    await page.locator('[data-testid="panels-toggle"]').click()

    // «Check the approval and send» reads again and continues the chain by itself.
    await frame.locator('[data-testid="issue-continue"]').click()
    await frame.locator('[data-testid="issue-outcome"][data-status="sent"]').waitFor({ timeout: 30_000 })
    expect(outbox(invoiceId)).toHaveLength(1)
    const started = workflows().filter(e => e.details.method === 'bizproc.workflow.start')
    expect(started.map(e => [e.title, e.details.documentId])).toEqual([
      ['Согласование счёта', ['crm', 'CCrmDocumentDeal', `DEAL_${dealId}`]],
      ['Контроль оплаты', ['crm', SMART_INVOICE, `SMART_INVOICE_${invoiceId}`]],
    ])
    expect(state().journal.filter(e => e.kind === 'triggers' && e.details.ownerId === invoiceId).map(e => e.details.code)).toEqual(['invoice_sent'])
    await frame.locator('[data-testid="bizproc-item"]').nth(1).waitFor({ timeout: 15_000 })
    expect(await frame.locator('[data-testid="bizproc-item"][data-state="running"]').count()).toBe(0)
    await frame.locator('[data-testid="bizproc-section"]').scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${ARTIFACTS}/bizproc-sent-ru.png` })
  })

  it('a failure at the process start is a warning; the invoice itself is sent', async () => {
    await t.control.post('/emulator/app-options', { userId: 1, options: { invoiceDesk: serializeSettings(settingsWith(false)) } })
    await t.control.post('/emulator/faults', { method: 'bizproc.workflow.start', times: 1, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Internal server error' })
    const dealId = issuableDeal(state(), used, 1_000)
    const page = await t.open(`/crm/deal/details/${dealId}/?tab=app&user=1&lang=ru`)
    await appFrame(page).locator('[data-testid="issue-button"]').waitFor({ timeout: 30_000 })

    expect(await issue(page)).toBe('sent')
    const invoiceId = Number(invoicesOf(dealId)[0]!.id)
    expect(outbox(invoiceId)).toHaveLength(1)
    expect(await appFrame(page).locator('[data-testid="issue-outcome"]').innerText()).toContain('Бизнес-процесс «Контроль оплаты» (событие «Счёт отправлен») не запущен')
    await page.screenshot({ path: `${ARTIFACTS}/bizproc-warning-ru.png` })
  })

  it('an admin sees the template list in the settings; a manager is told only an admin can list it', async () => {
    const admin = await t.open('/marketplace/app/?user=1&lang=ru')
    const section = appFrame(admin).locator('[data-testid="settings-processes"]')
    await section.waitFor({ timeout: 30_000 })
    expect(await appFrame(admin).locator('[data-testid="settings-processes-notice"]').count()).toBe(0)
    await section.scrollIntoViewIfNeeded()
    await admin.screenshot({ path: `${ARTIFACTS}/bizproc-settings-ru.png` })
    const manager = await t.open('/marketplace/app/?user=2&lang=ru')
    // Managers land on the reminder queue: open the settings tab.
    await appFrame(manager).locator('[data-testid="app-page-tabs"] button:has-text("Настройки")').click({ timeout: 30_000 })
    const notice = appFrame(manager).locator('[data-testid="settings-processes-notice"]')
    await notice.waitFor({ timeout: 30_000 })
    expect(await notice.innerText()).toContain('только администратор')
  })
})
