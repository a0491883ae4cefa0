import type { AppUnderTest } from './support/app-under-test.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { serializeSettings } from '../../src/domain/settings/read-settings.ts'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'

const outbox = (t: AppUnderTest) => t.emulator.state.journal.filter(entry => entry.kind === 'outbox')

describe('the accountant\'s reminder queue (app page) in Chromium, demo portal', () => {
  let t: AppUnderTest

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    // The demo is built around today; reminders go out on business days from the send hour, so move
    // the portal's clock to the next Monday, 10:00 in Moscow (the demo portal's zone).
    const now = new Date((await t.control.get<{ now: string }>('/emulator/clock')).now)
    const monday = new Date(now.getTime() + ((8 - now.getUTCDay()) % 7 || 7) * 86_400_000)
    await t.control.post('/emulator/clock', { now: `${monday.toISOString().slice(0, 10)}T10:00:00+03:00` })
    // A sender for every e-mail: a demo manager (Мария Смирнова) has no CRM mailbox (test/e2e/email-sender.e2e.ts covers that).
    const base = defaultSettings()
    const sender = { source: 'company', name: 'Бухгалтерия', address: 'billing@invoice-desk.example', copyToSender: false } as const
    await t.control.post('/emulator/app-options', { userId: 1, options: { invoiceDesk: serializeSettings({ ...base, email: { ...base.email, sender } }) } })
  })
  afterAll(async () => t?.close())

  it('an e-mail the portal refuses with an empty error code shows as failed with the portal\'s words, and is offered again', async () => {
    const page = await t.open('/marketplace/app/?user=4&lang=ru')
    const frame = appFrame(page)
    await frame.locator('[data-testid="reminder-queue-summary"]').waitFor({ timeout: 60_000 })
    const cards = frame.locator('[data-testid="reminder-preview"]')
    const total = await cards.count()
    const email = frame.locator('[data-testid="reminder-preview"][data-channel="email"]').filter({ hasNot: frame.locator('[data-testid="reminder-problem"]') }).first()
    const subject = await email.locator('p').first().innerText()
    await frame.locator('[data-testid="reminder-select-all"]').click() // clears the default "all"
    await email.locator('[data-testid="reminder-select"]').click()
    t.emulator.engine.faults.add({ method: 'crm.activity.add', times: 1, kind: 'error', status: 400, code: '', description: 'Email send error. Invalid email is specified' })
    await frame.locator('[data-testid="reminder-send"]').click()
    await frame.locator('[data-testid="reminder-queue-result"]').waitFor({ timeout: 60_000 })
    expect(await frame.locator('[data-testid="reminder-queue-result"]').innerText()).toContain('Отправлено: 0, не отправлено: 1')
    expect(await email.locator('[data-testid="reminder-outcome"]').innerText()).toBe('Ошибка')
    expect(await email.locator('[data-testid="reminder-error"]').innerText()).toContain('Email send error. Invalid email is specified')
    expect(await frame.locator('[data-testid="reminder-outcome"]').allInnerTexts()).not.toContain('Отправлено')
    expect(outbox(t)).toHaveLength(0)
    await page.screenshot({ path: `${ARTIFACTS}/reminder-queue-refused-ru.png`, fullPage: true })

    // Refresh: the refused reminder is offered again, as it was.
    await frame.locator('[data-testid="reminder-refresh"]').click()
    await frame.locator('[data-testid="reminder-queue-summary"]').waitFor({ timeout: 60_000 })
    await expect.poll(async () => frame.locator('[data-testid="reminder-preview"]').count(), { timeout: 30_000 }).toBe(total)
    expect(await frame.locator('[data-testid="reminder-preview"] p:first-of-type').allInnerTexts()).toContain(subject)
    expect(await frame.locator('[data-testid="reminder-outcome"]').count()).toBe(0)
  })

  it('previews what is due as the client will see it, sends the selection once, and the queue empties of it', async () => {
    const timeline = () => t.emulator.state.journal.filter(entry => entry.kind === 'timeline').length
    const written = timeline()
    const page = await t.open('/marketplace/app/?user=4&lang=ru')
    const frame = appFrame(page)
    await frame.locator('[data-testid="reminder-queue-summary"]').waitFor({ timeout: 60_000 })
    const cards = frame.locator('[data-testid="reminder-preview"]')
    const total = await cards.count()
    expect(total).toBeGreaterThan(0)
    // Nothing was written by looking.
    expect(outbox(t)).toHaveLength(0)
    expect(timeline()).toBe(written)

    const firstEmail = frame.locator('[data-testid="reminder-preview"][data-channel="email"]').first()
    await firstEmail.locator('[data-testid="reminder-toggle-body"]').click()
    const body = await firstEmail.locator('[data-testid="reminder-body"]').innerText()
    expect(body).toMatch(/Здравствуйте/)
    await page.screenshot({ path: `${ARTIFACTS}/reminder-queue-ru.png`, fullPage: true })

    // Send only the e-mails that can go out (a message with a problem cannot be selected).
    const emailCards = frame.locator('[data-testid="reminder-preview"][data-channel="email"]').filter({ hasNot: frame.locator('[data-testid="reminder-problem"]') })
    const emails = await emailCards.count()
    expect(emails).toBeGreaterThan(0)
    await frame.locator('[data-testid="reminder-select-all"]').click() // clears the default "all"
    for (let i = 0; i < emails; i++)
      await emailCards.nth(i).locator('[data-testid="reminder-select"]').click()
    const send = frame.locator('[data-testid="reminder-send"]')
    await send.dblclick()
    await frame.locator('[data-testid="reminder-queue-result"]').waitFor({ timeout: 60_000 })
    expect(outbox(t)).toHaveLength(emails)
    expect(await frame.locator('[data-testid="reminder-outcome"]').count()).toBe(emails)
    await page.screenshot({ path: `${ARTIFACTS}/reminder-queue-sent-ru.png`, fullPage: true })

    // Refresh: the sent ones are gone from the queue; nothing new went out.
    await frame.locator('[data-testid="reminder-refresh"]').click()
    await frame.locator('[data-testid="reminder-queue-summary"]').waitFor({ timeout: 60_000 })
    await expect.poll(async () => frame.locator('[data-testid="reminder-preview"]').count(), { timeout: 30_000 }).toBe(total - emails)
    expect(outbox(t)).toHaveLength(emails)
  })

  it('shows the reminders just sent as "last reminder" of the debtors on the receivables dashboard', async () => {
    const page = await t.open('/crm/analytics/?tab=app&user=4&lang=ru', { width: 1280, height: 2400 })
    const frame = appFrame(page)
    await frame.locator('[data-testid="dashboard-headline"]').waitFor({ timeout: 60_000 })
    const today = await frame.locator('[data-testid="debtor-reminder"]').allInnerTexts()
    await expect.poll(async () => (await frame.locator('[data-testid="debtor-reminder"]').allInnerTexts()).filter(text => /\d{2}\.\d{2}\.\d{4}/.test(text)).length, { timeout: 30_000 }).toBeGreaterThan(0)
    expect(today.length).toBeGreaterThan(0)
  })

  it.each(['ru', 'en'] as const)('(%s) counts skipped invoices, names them by number and client, and opens an escalation in full', async (lang) => {
    const page = await t.open(`/marketplace/app/?user=4&lang=${lang}`)
    const frame = appFrame(page)
    await frame.locator('[data-testid="reminder-queue-summary"]').waitFor({ timeout: 60_000 })
    const groups = frame.locator('[data-testid="reminder-skip-invoice"]')
    if (await groups.count() > 0) {
      const n = await groups.count()
      expect(await frame.locator('[data-testid="reminder-skips-title"]').innerText()).toContain(String(n))
      for (const name of await frame.locator('[data-testid="reminder-skip-name"]').allInnerTexts())
        expect(name).not.toMatch(/^#\d+$/)
    }
    const escalation = frame.locator('[data-testid="reminder-preview"]:not([data-channel="email"])').first()
    if (await escalation.count() > 0) {
      await escalation.locator('[data-testid="reminder-toggle-body"]').click()
      expect((await escalation.locator('[data-testid="reminder-body"]').innerText()).length).toBeGreaterThan(0)
    }
    await page.screenshot({ path: `${ARTIFACTS}/reminder-queue-skips-${lang}.png`, fullPage: true })
  })

  it('shows the queue in English in a narrow slider without breaking', async () => {
    const page = await t.open('/marketplace/app/?user=4&lang=en', { width: 640, height: 1400 })
    const frame = appFrame(page)
    await frame.locator('[data-testid="reminder-queue-summary"]').waitFor({ timeout: 60_000 })
    expect(await frame.locator('[data-testid="reminder-queue"] h2').first().innerText()).toBe('Reminders to send')
    await page.screenshot({ path: `${ARTIFACTS}/reminder-queue-en-narrow.png`, fullPage: true })
    const overflow = await frame.locator('body').evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(1)
  })
})
