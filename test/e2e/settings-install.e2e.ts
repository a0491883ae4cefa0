import type { FrameLocator, Page } from 'playwright-core'
import type { AppUnderTest } from './support/app-under-test.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SETTINGS_SCHEMA_VERSION } from '../../src/domain/settings/settings.ts'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'

interface PlacementRow { placement: string, handler: string, title: string }

const settingsJson = (t: AppUnderTest): string => String(t.emulator.state.app.options.invoiceDesk ?? '')

async function openSettings(t: AppUnderTest, user: number, lang = 'ru', viewport?: { width: number, height: number }): Promise<{ page: Page, frame: FrameLocator }> {
  const page = await t.open(`/marketplace/app/?user=${user}&lang=${lang}`, viewport)
  const frame = appFrame(page)
  // Admins land on the settings tab; everyone else on the reminder queue, one tab away.
  if (user !== 1)
    await frame.getByRole('tab', { name: lang === 'ru' ? 'Настройки' : 'Settings' }).click({ timeout: 30_000 })
  await frame.locator('[data-testid="settings-invoice"]').waitFor({ timeout: 30_000 })
  return { page, frame }
}

describe('install and settings (DEFAULT) in Chromium, on an empty portal', () => {
  let t: AppUnderTest

  beforeAll(async () => {
    t = await startAppUnderTest('empty')
  })
  afterAll(async () => t?.close())

  it('tells a manager that an admin must install the app first', async () => {
    const page = await t.open('/marketplace/app/?user=2&lang=ru')
    await page.locator('[data-testid="not-installed"]').waitFor({ timeout: 30_000 })
    expect(t.emulator.state.app.placements).toHaveLength(0)
  })

  it('installs on the first open by an admin; a failed step is named, retried, and install completes', async () => {
    await t.control.post('/emulator/faults', { method: 'crm.automation.trigger.add', times: 1, kind: 'error', status: 400, code: 'ACCESS_DENIED', description: 'Access denied! Admin permissions required' })
    await t.closePages() // an earlier test's page may still be loading
    await t.control.post('/emulator/stats/reset')
    const page = await t.open('/marketplace/app/?user=1&lang=ru')
    const frame = appFrame(page)
    await frame.locator('[data-testid="install-retry"]').waitFor({ timeout: 30_000 })
    expect(await frame.locator('[data-testid="error-notice"]').innerText()).toContain('Не удалось: «Регистрируем триггеры для роботов»')
    expect(await frame.locator('[data-step="placements"]').getAttribute('data-status')).toBe('done')
    expect(await frame.locator('[data-step="triggers"]').getAttribute('data-status')).toBe('failed')
    expect(t.emulator.state.app.installed).toBe(false)
    await page.screenshot({ path: `${ARTIFACTS}/install-failed-step-ru.png` })

    await frame.locator('[data-testid="install-retry"]').click()
    await page.waitForURL(/install_finished=Y/, { timeout: 30_000 })
    await appFrame(page).locator('[data-testid="settings-invoice"]').waitFor({ timeout: 30_000 })

    const placements = await t.control.get<PlacementRow[]>('/emulator/placements')
    expect(placements.map(p => [p.placement, p.title]).sort()).toEqual([
      ['CRM_ANALYTICS_MENU', 'Дебиторка'],
      ['CRM_DEAL_DETAIL_TAB', 'Счета'],
      ['CRM_DEAL_LIST_MENU', 'Выставить счёт'],
      ['CRM_SMART_INVOICE_DETAIL_TAB', 'Счёт'],
    ])
    expect(new Set(placements.map(p => p.handler))).toEqual(new Set([t.app.url]))
    expect(t.emulator.state.app.placements.find(p => p.placement === 'CRM_DEAL_DETAIL_TAB')?.langAll.en?.TITLE).toBe('Invoices')
    expect(t.emulator.state.app.triggers.map(trigger => trigger.CODE).sort()).toEqual(['invoice_overdue', 'invoice_paid', 'invoice_sent'])
    expect(JSON.parse(settingsJson(t)).schemaVersion).toBe(SETTINGS_SCHEMA_VERSION)
    expect(t.emulator.state.app.installed).toBe(true)
    // Install itself: one read batch and one write batch.
    const stats = await t.control.get<{ restRequests: Record<string, number> }>('/emulator/stats')
    expect(stats.restRequests.batch).toBeGreaterThanOrEqual(2)
    await page.screenshot({ path: `${ARTIFACTS}/settings-after-install-ru.png`, fullPage: true })
  })

  it('keeps changed settings across a reload', async () => {
    const { page, frame } = await openSettings(t, 1)
    await frame.locator('[data-testid="input-term-b2b"]').fill('14')
    await frame.locator('[data-testid="input-email-subject"]').fill('Счёт {invoice.number} — оплатите до {invoice.dueDate}')
    await frame.locator('[data-testid="settings-save"]').click()
    await frame.locator('[data-testid="settings-saved"]').waitFor({ timeout: 10_000 })
    const stored = JSON.parse(settingsJson(t))
    expect(stored.invoice.paymentTermDays.b2b).toBe(14)
    expect(stored.email.templates.invoice.ru.subject).toBe('Счёт {invoice.number} — оплатите до {invoice.dueDate}')

    await page.reload()
    const again = appFrame(page)
    await again.locator('[data-testid="settings-invoice"]').waitFor({ timeout: 30_000 })
    expect(await again.locator('[data-testid="input-term-b2b"]').inputValue()).toBe('14')
    expect(await again.locator('[data-testid="email-preview-subject"]').innerText()).toMatch(/^Счёт 2026-0042 — оплатите до \d\d\.\d\d\.\d{4}$/)
  })

  const invalidCases: Array<{ name: string, field: string, input: string, value: string, message: string }> = [
    { name: 'negative payment term', field: 'field-term-b2b', input: 'input-term-b2b', value: '-5', message: 'Допустимо целое число от 0 до 365.' },
    { name: 'absurd payment term', field: 'field-term-b2c', input: 'input-term-b2c', value: '9999', message: 'Допустимо целое число от 0 до 365.' },
    { name: 'empty subject', field: 'field-email-subject', input: 'input-email-subject', value: '  ', message: 'Укажите тему письма.' },
    { name: 'unknown variable', field: 'field-email-body', input: 'input-email-body', value: 'Оплатите {invoice.numbr}', message: 'Неизвестная переменная {invoice.numbr}.' },
    { name: 'send hour out of range', field: 'field-send-hour', input: 'input-send-hour', value: '25', message: 'Допустимо целое число от 0 до 23.' },
    { name: 'invalid holiday', field: 'field-holidays', input: 'input-holidays', value: '2026-02-30', message: 'Неверная дата: 2026-02-30' },
  ]

  it.each(invalidCases)('refuses $name with its message next to the field and writes nothing', async ({ field, input, value, message }) => {
    const before = settingsJson(t)
    const { frame } = await openSettings(t, 1)
    await frame.locator(`[data-testid="${input}"]`).fill(value)
    await frame.locator(`[data-testid="${input}"]`).blur()
    await frame.locator('[data-testid="settings-save"]').click()
    await frame.locator('[data-testid="settings-invalid"]').waitFor({ timeout: 10_000 })
    expect(await frame.locator(`[data-testid="${field}"]`).innerText()).toContain(message)
    expect(settingsJson(t)).toBe(before)
  })

  it('flags a template deleted from the portal since it was chosen, and refuses to save it', async () => {
    const chosen = JSON.parse(settingsJson(t)).invoice.documentTemplateId as number
    const template = t.emulator.state.documentTemplates.find(entry => Number(entry.id) === chosen)!
    template.isDeleted = 'Y'
    try {
      const before = settingsJson(t)
      const { frame } = await openSettings(t, 1)
      expect(await frame.locator('[data-testid="field-invoice-template"]').innerText()).toContain('Такого шаблона больше нет в портале')
      await frame.locator('[data-testid="input-term-b2b"]').fill('10')
      await frame.locator('[data-testid="settings-save"]').click()
      await frame.locator('[data-testid="settings-invalid"]').waitFor({ timeout: 10_000 })
      expect(settingsJson(t)).toBe(before)
    }
    finally {
      template.isDeleted = 'N'
    }
  })

  it('shows a manager the same settings read-only, with the reason', async () => {
    const { page, frame } = await openSettings(t, 2, 'ru', { width: 1280, height: 3400 })
    expect(await frame.locator('[data-testid="settings-read-only"]').innerText()).toContain('только администратор')
    expect(await frame.locator('[data-testid="input-term-b2b"]').inputValue()).toBe('14')
    expect(await frame.locator('[data-testid="input-term-b2b"]').isDisabled()).toBe(true)
    expect(await frame.locator('[data-testid="settings-save"]').count()).toBe(0)
    await page.screenshot({ path: `${ARTIFACTS}/settings-manager-ru.png`, fullPage: true })
  })

  it('escapes client data in the preview and speaks English, also in a narrow frame', async () => {
    const { page, frame } = await openSettings(t, 1, 'en', { width: 600, height: 4200 })
    await frame.locator('[data-testid="input-email-body"]').fill('Hello <b>{client.name}</b>, pay {payment.link}')
    const body = frame.locator('[data-testid="email-preview-body"]')
    expect(await body.innerText()).toContain('Hello <b>')
    expect(await body.locator('b').count()).toBe(0)
    expect(await body.locator('a[href="https://pay.example/invoice"]').count()).toBe(1)
    expect(await frame.locator('h1').innerText()).toBe('Invoice settings')
    await page.screenshot({ path: `${ARTIFACTS}/settings-en-narrow.png`, fullPage: true })
  })

  it.each(['en', 'ru'] as const)('(%s) does not scroll sideways in a 480 px frame', async (lang) => {
    // The host's menu takes 288 px: a 768 px window gives the app a 480 px frame.
    const { page, frame } = await openSettings(t, 1, lang, { width: 768, height: 860 })
    await page.screenshot({ path: `${ARTIFACTS}/settings-${lang}-480.png`, fullPage: true })
    const overflow = await frame.locator('body').evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(1)
  })

  it('warns in the reminders section when the holiday list has no production calendar for this year or the next, and writes nothing', async () => {
    const before = settingsJson(t)
    const { page, frame } = await openSettings(t, 1, 'ru', { width: 600, height: 4200 })
    expect(await frame.locator('[data-testid="calendar-missing"]').count()).toBe(0)
    await frame.locator('[data-testid="input-holidays"]').fill('2025-12-31')
    await frame.locator('[data-testid="input-holidays"]').blur()
    const alert = frame.locator('[data-testid="calendar-missing"]')
    await alert.waitFor({ timeout: 10_000 })
    expect(await alert.innerText()).toContain('Нет производственного календаря на')
    await alert.scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${ARTIFACTS}/settings-calendar-missing-ru-narrow.png` })
    expect(settingsJson(t)).toBe(before)
  })

  it('shows every section to an admin, editable', async () => {
    const { page, frame } = await openSettings(t, 1, 'ru', { width: 1280, height: 3400 })
    for (const section of ['invoice', 'deal', 'email', 'notifications', 'reminders'])
      await frame.locator(`[data-testid="settings-${section}"]`).waitFor()
    expect(await frame.locator('[data-testid="settings-save"]').count()).toBe(1)
    await page.screenshot({ path: `${ARTIFACTS}/settings-admin-ru.png`, fullPage: true })
  })

  it('re-running install on an installed portal changes nothing', async () => {
    const before = JSON.stringify([t.emulator.state.app.placements, t.emulator.state.app.triggers, settingsJson(t)])
    t.emulator.state.app.installed = false
    const page = await t.open('/marketplace/app/?user=1&lang=ru')
    await page.waitForURL(/install_finished=Y/, { timeout: 30_000 })
    await appFrame(page).locator('[data-testid="settings-invoice"]').waitFor({ timeout: 30_000 })
    expect(JSON.stringify([t.emulator.state.app.placements, t.emulator.state.app.triggers, settingsJson(t)])).toBe(before)
  })
})
