// The e-mail sender and links in Chromium: the deal tab's preview shows who the e-mail comes from; a manager without a
// CRM mailbox and no sender set gets the portal's "From" is not found explained; with the company sender it goes out
// from it. The reminder queue shows the sender, never an «Оплатить онлайн:» pointing at nothing, and says what to do.
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { AppUnderTest } from './support/app-under-test.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { serializeSettings } from '../../src/domain/settings/read-settings.ts'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'
import { issuableDeal } from './support/issuable-deal.ts'

const MARIA = 3
const COMPANY = { source: 'company', name: 'ООО «Инвойс Деск» — бухгалтерия', address: 'billing@invoice-desk.example', copyToSender: false } as const

describe('who the client e-mails come from (Chromium, demo portal)', () => {
  let t: AppUnderTest
  const used = new Set<number>()

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    await t.control.post('/emulator/docgen', { pdfDelayMs: 300 })
  })
  afterAll(async () => t?.close())

  const state = () => t.emulator.state
  const outbox = () => state().journal.filter(entry => entry.kind === 'outbox').map(entry => entry.details as { from: string, body: string, owner: { id: number } })
  const saveSettings = async (settings: InvoiceDeskSettings) => t.control.post('/emulator/app-options', { userId: 1, options: { invoiceDesk: serializeSettings(settings) } })
  const withSender = (sender?: InvoiceDeskSettings['email']['sender']): InvoiceDeskSettings => {
    const base = defaultSettings()
    return { ...base, email: { ...base.email, ...(sender ? { sender } : {}) } }
  }

  async function previewOf(dealId: number, lang: 'ru' | 'en' = 'ru') {
    const page = await t.open(`/crm/deal/details/${dealId}/?tab=app&user=1&lang=${lang}`, { width: 1280, height: 1400 })
    // The app as a narrow 480 px slider: the frame itself is 480 px wide.
    await page.locator('[data-testid="app-frame"]').first().evaluate((el) => {
      (el as HTMLElement).style.width = '480px'
      ;(el as HTMLElement).style.height = '1200px'
    })
    const frame = appFrame(page)
    await frame.locator('[data-testid="issue-button"]').click({ timeout: 30_000 })
    await frame.locator('[data-testid="issue-preview"]').waitFor()
    const shot = async (name: string) => page.locator('[data-testid="app-frame"]').first().screenshot({ path: `${ARTIFACTS}/${name}` })
    return { page, frame, shot }
  }

  it('a manager without a CRM mailbox and no sender set: the preview warns, and the refusal says what the admin must do', async () => {
    await saveSettings(withSender())
    const dealId = issuableDeal(state(), used, 0, MARIA)
    const { frame, shot } = await previewOf(dealId)
    expect(await frame.locator('[data-testid="issue-from"]').innerText()).toContain('если ящика нет, письмо не уйдёт')
    expect(await frame.locator('[data-testid="issue-content"]').innerText()).toContain('ссылка на публичную страницу счёта')
    await shot('email-sender-preview-portal-ru-480.png')
    await frame.locator('[data-testid="issue-confirm"]').click()
    const notice = frame.locator('[data-testid="error-notice"]')
    await notice.waitFor({ timeout: 30_000 })
    expect(await notice.innerText()).toContain('Подключите ему ящик в CRM или укажите отправителя в настройках приложения')
    await shot('email-sender-refused-ru-480.png')
    const invoice = state().entities[31]!.items.find(item => item.xmlId === invoiceKey(dealId))!
    expect(outbox().filter(mail => mail.owner.id === Number(invoice.id))).toHaveLength(0)
  })

  it('with the company sender configured the same kind of deal is sent, and the outbox shows that From', async () => {
    await saveSettings(withSender(COMPANY))
    const dealId = issuableDeal(state(), used, 0, MARIA)
    for (const lang of ['en', 'ru'] as const) {
      const { frame, shot } = await previewOf(dealId, lang)
      expect(await frame.locator('[data-testid="issue-from"]').innerText()).toBe('ООО «Инвойс Деск» — бухгалтерия <billing@invoice-desk.example>')
      await shot(`email-sender-preview-company-${lang}-480.png`)
      // The app's frame must not scroll sideways at 480 px.
      const [scroll, client] = await frame.locator('html').evaluate(html => [html.scrollWidth, html.clientWidth])
      expect(scroll, `${scroll} > ${client}`).toBeLessThanOrEqual(client!)
      if (lang === 'en')
        continue
      await frame.locator('[data-testid="issue-confirm"]').click()
      await frame.locator('[data-testid="issue-outcome"]').waitFor({ timeout: 30_000 })
    }
    const invoice = state().entities[31]!.items.find(item => item.xmlId === invoiceKey(dealId))!
    const [mail] = outbox().filter(entry => entry.owner.id === Number(invoice.id))
    expect(mail!.from).toBe('ООО «Инвойс Деск» — бухгалтерия <billing@invoice-desk.example>')
    expect(mail!.body).not.toContain('ajax.php')
  })

  it('the reminder queue shows the sender, never an empty «Оплатить онлайн:», and says what to do when Bitrix24 found no sender', async () => {
    await saveSettings(withSender())
    // An invoice of Мария due today, with no document (so no link), for a demo company with an address.
    // Reminders go out on business days from the send hour: the next Monday, 10:00 in Moscow (as the queue's own test).
    const now = new Date((await t.control.get<{ now: string }>('/emulator/clock')).now)
    const today = new Date(now.getTime() + ((8 - now.getUTCDay()) % 7 || 7) * 86_400_000).toISOString().slice(0, 10)
    const company = state().entities[4]!.items.find(item => item.isMyCompany !== 'Y' && Array.isArray(item.fm) && (item.fm as unknown[]).length > 0)!
    await fetch(`${t.emulatorUrl}/rest/1/demo-webhook-secret/crm.item.add`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ entityTypeId: 31, fields: { title: 'Без документа', companyId: company.id, stageId: 'DT31_5:S', categoryId: 5, begindate: today, closedate: today, opportunity: 777, currencyId: 'RUB', assignedById: MARIA } }),
    })
    await t.control.post('/emulator/clock', { now: `${today}T10:00:00+03:00` })
    const page = await t.open('/marketplace/app/?user=4&lang=ru', { width: 1280, height: 1400 })
    await page.locator('[data-testid="app-frame"]').first().evaluate((el) => {
      (el as HTMLElement).style.width = '480px'
      ;(el as HTMLElement).style.height = '1300px'
    })
    const frame = appFrame(page)
    await frame.locator('[data-testid="reminder-queue-summary"]').waitFor({ timeout: 60_000 })
    const mine = frame.locator('[data-testid="reminder-preview"]').filter({ hasText: '777' })
    await mine.first().waitFor({ timeout: 30_000 })
    expect(await mine.first().locator('[data-testid="reminder-from"]').innerText()).toContain('выберет Битрикс24')
    const emails = frame.locator('[data-testid="reminder-preview"]').filter({ has: frame.locator('[data-testid="reminder-toggle-body"]') })
    for (let i = 0; i < await emails.count(); i++) {
      await emails.nth(i).locator('[data-testid="reminder-toggle-body"]').click()
      expect(await emails.nth(i).locator('[data-testid="reminder-body"]').innerText()).not.toMatch(/(Оплатить онлайн|Счёт):\s*(\n|$)/)
    }
    await page.locator('[data-testid="app-frame"]').first().screenshot({ path: `${ARTIFACTS}/email-sender-queue-ru-480.png` })
    await frame.locator('[data-testid="reminder-send"]').click()
    await frame.locator('[data-testid="reminder-queue-result"]').waitFor({ timeout: 60_000 })
    expect(await frame.locator('[data-testid="reminder-queue-sender-missing"]').innerText()).toContain('Подключите ему ящик в CRM')
    await frame.locator('[data-testid="reminder-queue-sender-missing"]').scrollIntoViewIfNeeded()
    await page.locator('[data-testid="app-frame"]').first().screenshot({ path: `${ARTIFACTS}/email-sender-queue-sent-ru-480.png` })
  })

  it.each(['ru', 'en'] as const)('(%s) settings: the sender section at 480 px, a company address refused with a message naming the field', async (lang) => {
    await saveSettings(withSender({ ...COMPANY, address: 'billing@invoice-desk' }))
    const page = await t.open(`/marketplace/app/?user=1&lang=${lang}`, { width: 1280, height: 1400 })
    await page.locator('[data-testid="app-frame"]').first().evaluate((el) => {
      (el as HTMLElement).style.width = '480px'
      ;(el as HTMLElement).style.height = '1300px'
    })
    const frame = appFrame(page)
    await frame.locator('[data-testid="settings-invoice"]').waitFor({ timeout: 60_000 })
    const sender = frame.locator('[data-testid="settings-email-sender"]')
    await sender.waitFor({ timeout: 30_000 })
    await sender.scrollIntoViewIfNeeded()
    expect(await frame.locator('[data-testid="field-email-sender-address"]').innerText()).toContain(lang === 'ru' ? 'Адрес отправителя неверный: billing@invoice-desk' : 'The sender address is not valid: billing@invoice-desk')
    const [scroll, client] = await frame.locator('html').evaluate(html => [html.scrollWidth, html.clientWidth])
    expect(scroll).toBeLessThanOrEqual(client!)
    await page.locator('[data-testid="app-frame"]').first().screenshot({ path: `${ARTIFACTS}/email-sender-settings-${lang}-480.png` })
  })
})
