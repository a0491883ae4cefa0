import type { FrameLocator } from 'playwright-core'
import type { AppUnderTest } from './support/app-under-test.ts'
import type { EmulatorStats } from '../support/emulator-control.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { machineTagOf } from '../../src/domain/text/machine-tag.ts'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'

/** The deal's timeline entries the app wrote for its subscription. */
function subscriptionLog(t: AppUnderTest, dealId: number): string[] {
  return t.emulator.state.journal
    .filter(entry => entry.kind === 'timeline')
    .map(entry => entry.details as { owner: { typeId: number, id: number }, text: string })
    .filter(details => details.owner.typeId === 2 && details.owner.id === dealId && JSON.stringify(machineTagOf(details.text)).includes('"kind":"subscription'))
    .map(details => JSON.stringify(machineTagOf(details.text)))
}

async function pick(frame: FrameLocator, testId: string, option: string): Promise<void> {
  await frame.locator(`[data-testid="${testId}"]`).click()
  await frame.getByRole('option', { name: option }).click()
}

/** A demo deal whose client has a valid e-mail and whose responsible has a CRM mailbox: its period invoice can be issued and sent. */
function issuableDeal(t: AppUnderTest): number {
  const state = t.emulator.state
  const withMailbox = new Set(state.users.filter(user => user.crmMailbox).map(user => user.id))
  for (const deal of state.entities[2].items.filter(deal => withMailbox.has(Number(deal.assignedById)))) {
    const people = [state.entities[3].byId.get(Number(deal.contactId)), state.entities[4].byId.get(Number(deal.companyId))]
    const email = people.flatMap(p => ((p?.fm ?? []) as Array<{ typeId: string, value: string }>).filter(f => f.typeId === 'EMAIL').map(f => f.value))[0]
    if (email && /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(email))
      return Number(deal.id)
  }
  throw new Error('no issuable demo deal')
}

describe('deal tab «Подписка» section (Chromium)', () => {
  let t: AppUnderTest
  let dealId: number
  let today: string

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    dealId = issuableDeal(t)
    const clock = await t.control.get<{ now: string }>('/emulator/clock')
    today = new Date(Date.parse(clock.now) + 3 * 3_600_000).toISOString().slice(0, 10) // the portal's zone is Moscow
  })
  afterAll(async () => t?.close())

  it('opens in one more round trip, refuses bad values, saves a schedule, issues the due period once and stops', async () => {
    await t.control.post('/emulator/stats/reset')
    const page = await t.open(`/crm/deal/details/${dealId}/?tab=app&user=1&lang=ru`)
    const frame = appFrame(page)
    await frame.locator('[data-testid="subscription-show"]').waitFor({ timeout: 30_000 })
    // The first paint is still one batch; the section costs nothing until opened.
    expect((await t.control.get<EmulatorStats>('/emulator/stats')).restRequests).toEqual({ batch: 1 })
    await t.control.post('/emulator/stats/reset')
    await frame.locator('[data-testid="subscription-show"]').click()
    await frame.locator('[data-testid="subscription-section"][data-status="ready"]').waitFor()
    expect(await frame.locator('[data-testid="subscription-none"]').innerText()).toContain('Регулярных счетов по сделке нет')
    const opened = await t.control.get<EmulatorStats>('/emulator/stats')
    expect(opened.httpRequests).toBe(1)
    expect(opened.restRequests).toEqual({ batch: 1 })

    await frame.locator('[data-testid="subscription-edit"]').click()
    // The kit's date field, in the portal's language (dd.mm.yyyy): day, month, year typed in that order.
    await frame.locator('[data-testid="subscription-start"] [data-segment="day"]').click()
    await page.keyboard.type(today.split('-').reverse().join(''))
    await pick(frame, 'subscription-end-kind', 'После N периодов')
    await frame.locator('[data-testid="subscription-end-count"] input, input[data-testid="subscription-end-count"]').first().fill('0')
    await pick(frame, 'subscription-amount-kind', 'Фиксированная')
    const sum = frame.locator('[data-testid="subscription-fixed-sum"] input, input[data-testid="subscription-fixed-sum"]').first()
    await sum.fill('-5')
    await frame.locator('[data-testid="subscription-save"]').click()
    const problems = await frame.locator('[data-testid="subscription-problems"]').innerText()
    expect(problems).toContain('Количество периодов — целое, от 1 до 1200.')
    expect(problems).toContain('Сумма должна быть больше нуля.')
    expect(subscriptionLog(t, dealId)).toHaveLength(0)

    await frame.locator('[data-testid="subscription-end-count"] input, input[data-testid="subscription-end-count"]').first().fill('3')
    await sum.fill('1500')
    await frame.locator('[data-testid="subscription-save"]').click()
    await frame.locator('[data-testid="subscription-summary"]').waitFor()
    expect(await frame.locator('[data-testid="subscription-schedule"]').innerText()).toMatch(/ежемесячно с .*, периодов: 3, 1\s500,00\s₽/)
    expect(await frame.locator('[data-testid="subscription-due"]').innerText()).toContain('выставится при ближайшем запуске')
    expect(await frame.locator('[data-testid="subscription-issued-none"]').isVisible()).toBe(true)
    const log = subscriptionLog(t, dealId)
    expect(log).toHaveLength(1)
    expect(log[0]).toContain(`"startDate":"${today}"`)
    expect(log[0]).toContain('"amount":{"kind":"fixed","amount":{"amountMinor":150000,"currency":"RUB"}}')
    await page.screenshot({ path: `${ARTIFACTS}/deal-tab-subscription-ru.png`, fullPage: true })

    // The due period issued by hand, through the same chain and key as the runner.
    await frame.locator('[data-testid="subscription-issue-due"]').click()
    await frame.locator('[data-testid="subscription-issue-outcome"][data-status="sent"]').waitFor({ timeout: 60_000 })
    await frame.locator('[data-testid="subscription-issued-row"]').waitFor()
    expect(await frame.locator('[data-testid="subscription-issued-row"]').count()).toBe(1)
    expect(await frame.locator('[data-testid="subscription-due"]').count()).toBe(0)
    expect(await frame.locator('[data-testid="subscription-next"]').innerText()).toContain('Следующий счёт')
    const invoices = t.emulator.state.entities[31].items.filter(item => String(item.xmlId).startsWith(`invoice-desk:deal:${dealId}:period-`))
    expect(invoices.map(item => item.xmlId)).toEqual([`invoice-desk:deal:${dealId}:period-${today.slice(0, 7)}`])
    expect(Number(invoices[0]!.opportunity)).toBe(1500)
    const mails = t.emulator.state.journal.filter(e => e.kind === 'outbox' && Number((e.details as { owner?: { id?: number } }).owner?.id) === Number(invoices[0]!.id))
    expect(mails).toHaveLength(1)
    // The tab's list shows the new invoice too.
    await expect.poll(() => frame.locator('[data-testid="invoice-number"]').allInnerTexts()).toContain(String(invoices[0]!.accountNumber))
    await page.screenshot({ path: `${ARTIFACTS}/deal-tab-subscription-issued-ru.png`, fullPage: true })

    await frame.locator('[data-testid="subscription-stop"]').click()
    await expect.poll(() => frame.locator('[data-testid="subscription-none"]').innerText().catch(() => '')).toContain('Подписка остановлена')
    expect(subscriptionLog(t, dealId)).toHaveLength(2)
  })

  it('lets the deal\'s responsible change it, and shows the accountant the schedule read-only', async () => {
    const deal = t.emulator.state.entities[2].items.find(item => Number(item.assignedById) === 2)!
    for (const [user, canEdit] of [[2, true], [4, false]] as const) {
      const page = await t.open(`/crm/deal/details/${deal.id}/?tab=app&user=${user}&lang=ru`)
      const frame = appFrame(page)
      await frame.locator('[data-testid="subscription-show"]').click()
      await frame.locator('[data-testid="subscription-section"][data-status="ready"]').waitFor({ timeout: 30_000 })
      expect(await frame.locator('[data-testid="subscription-edit"]').count(), `user ${user}`).toBe(canEdit ? 1 : 0)
      expect(await frame.locator('[data-testid="subscription-read-only"]').count(), `user ${user}`).toBe(canEdit ? 0 : 1)
      if (canEdit) {
        await frame.locator('[data-testid="subscription-edit"]').click()
        await frame.locator('[data-testid="subscription-renew"]').click()
        await frame.locator('[data-testid="subscription-save"]').click()
        await frame.locator('[data-testid="subscription-renewal"]').waitFor()
        expect(subscriptionLog(t, Number(deal.id)).at(-1)).toContain('"renewOnPayment":true')
      }
      await page.close()
    }
  })
})
