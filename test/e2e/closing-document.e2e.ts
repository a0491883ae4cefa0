import type { AppUnderTest } from './support/app-under-test.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { serializeSettings, SETTINGS_OPTION } from '../../src/domain/settings/read-settings.ts'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'

const ACT = 15

describe('closing document of a B2B invoice paid in full (Chromium)', () => {
  let t: AppUnderTest

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    await t.control.post('/emulator/docgen', { pdfDelayMs: 0 })
    const base = defaultSettings()
    const settings = {
      ...base,
      invoice: { ...base.invoice, closingDocumentTemplateId: ACT, closingDocumentTemplateName: 'Акт выполненных работ' },
      email: { ...base.email, sender: { source: 'company' as const, name: 'ООО «Инвойс Деск» — бухгалтерия', address: 'billing@invoice-desk.example', copyToSender: false } },
    }
    await t.control.post('/emulator/app-options', { userId: 1, options: { [SETTINGS_OPTION]: serializeSettings(settings) } })
  })
  afterAll(async () => t?.close())

  const state = () => t.emulator.state
  const closingEmails = (invoiceId: number) => state().journal.filter((entry) => {
    const owner = (entry.details as { owner?: { typeId?: number, id?: number } }).owner
    return entry.kind === 'outbox' && owner?.typeId === 31 && owner.id === invoiceId && String(entry.title).startsWith('Закрывающий документ')
  })

  it('«Оплачен» double-clicked on a company\'s invoice: one act, one e-mail with its public link, a record in the card; the admin chose the template in the settings', async () => {
    const item = state().entities[31]!.items.find(i => i.stageId === 'DT31_5:S' && i.parentId2 && i.companyId && i.contactId)!
    const invoice = { id: Number(item.id), dealId: Number(item.parentId2), number: String(item.accountNumber) }
    const page = await t.open(`/crm/deal/details/${invoice.dealId}/?tab=app&user=1&lang=ru`, { width: 920, height: 900 })
    const frame = appFrame(page)
    const row = frame.locator('[data-testid="invoice-table"] tbody tr', { has: frame.locator(`[data-testid="invoice-number"]:text-is("${invoice.number}")`) })
    await row.waitFor({ timeout: 30_000 })
    await row.locator('[data-testid="invoice-mark-paid"]').click()
    await row.locator('[data-testid="invoice-pay-form"]').waitFor()
    await row.locator('[data-testid="invoice-confirm-paid"]').dblclick()
    await frame.locator('[data-testid="invoice-action-outcome"]').waitFor({ timeout: 30_000 })
    await row.locator('[data-testid="invoice-state"]', { hasText: /^Оплачен$/ }).waitFor({ timeout: 10_000 })
    expect(await frame.locator('[data-testid="invoice-action-outcome"]').innerText()).toContain('Закрывающий документ отправлен клиенту на ')
    await page.locator('[data-testid="app-frame"]').screenshot({ path: `${ARTIFACTS}/closing-document-paid-ru.png` })

    const emails = closingEmails(invoice.id)
    expect(emails).toHaveLength(1)
    const documents = (state() as unknown as { invoiceFlow?: { documents: Array<{ entityId: number, templateId: string, publicCode: string | null }> } }).invoiceFlow!.documents
      .filter(doc => doc.entityId === invoice.id && Number(doc.templateId) === ACT)
    expect(documents).toHaveLength(1)
    expect(String(emails[0]!.details.body)).toContain(`/~${documents[0]!.publicCode}`)
    expect(emails[0]!.details).toMatchObject({ from: 'ООО «Инвойс Деск» — бухгалтерия <billing@invoice-desk.example>' })
    const records = state().journal.filter(entry => entry.kind === 'timeline' && (entry.details as { owner?: { id?: number } }).owner?.id === invoice.id && String(entry.title).startsWith('Invoice Desk: закрывающий документ отправлен'))
    expect(records).toHaveLength(1)

    for (const lang of ['ru', 'en'] as const) {
      const settingsPage = await t.open(`/marketplace/app/?user=1&lang=${lang}`, { width: 1100, height: 1400 })
      const field = appFrame(settingsPage).locator('[data-testid="field-invoice-closing-template"]')
      await field.waitFor({ timeout: 60_000 })
      expect(await field.innerText()).toContain('Акт выполненных работ')
      await appFrame(settingsPage).locator('[data-testid="settings-invoice"]').screenshot({ path: `${ARTIFACTS}/closing-template-settings-${lang}.png` })
    }
  }, 180_000)
})
