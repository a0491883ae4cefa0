import type { AppUnderTest } from './support/app-under-test.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'

describe('row actions in the deal card tab (Chromium)', () => {
  let t: AppUnderTest

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
  })
  afterAll(async () => t?.close())

  const state = () => t.emulator.state
  const notifications = (number: string) => state().journal.filter(e => e.kind === 'notifications' && JSON.stringify(e.details).includes(number))

  /** A demo invoice «Отправлен клиенту» that belongs to a deal and has a responsible. */
  function sentInvoice(): { id: number, dealId: number, number: string, responsibleId: number } {
    const item = state().entities[31]!.items.find(i => i.stageId === 'DT31_5:S' && i.parentId2 && i.assignedById)
    if (!item)
      throw new Error('the demo data has no sent invoice')
    return { id: Number(item.id), dealId: Number(item.parentId2), number: String(item.accountNumber), responsibleId: Number(item.assignedById) }
  }

  it('marks a sent invoice paid in a narrow frame: the row then shows «Оплачен», the responsible is notified once', async () => {
    const invoice = sentInvoice()
    const page = await t.open(`/crm/deal/details/${invoice.dealId}/?tab=app&user=1&lang=ru`, { width: 920, height: 900 })
    const frame = appFrame(page)
    const row = frame.locator('[data-testid="invoice-table"] tbody tr', { has: frame.locator(`[data-testid="invoice-number"]:text-is("${invoice.number}")`) })
    await row.waitFor({ timeout: 30_000 })
    await page.locator('[data-testid="app-frame"]').screenshot({ path: `${ARTIFACTS}/invoice-actions-row-ru.png` })

    await row.locator('[data-testid="invoice-mark-paid"]').click()
    await row.locator('[data-testid="invoice-pay-form"]').waitFor()
    await page.locator('[data-testid="app-frame"]').screenshot({ path: `${ARTIFACTS}/invoice-actions-pay-form-ru.png` })
    // A double click must not notify twice.
    await row.locator('[data-testid="invoice-confirm-paid"]').dblclick()

    await frame.locator('[data-testid="invoice-action-outcome"]').waitFor({ timeout: 30_000 })
    expect(await frame.locator('[data-testid="invoice-action-outcome"]').innerText()).toContain(`Счёт ${invoice.number} отмечен оплаченным`)
    await row.locator('[data-testid="invoice-state"]', { hasText: /^Оплачен$/ }).waitFor({ timeout: 10_000 })
    expect(await row.locator('[data-testid="invoice-actions"]').count()).toBe(0)
    await page.locator('[data-testid="app-frame"]').screenshot({ path: `${ARTIFACTS}/invoice-actions-paid-ru.png` })

    expect(state().entities[31]!.byId.get(invoice.id)!.stageId).toBe('DT31_5:P')
    const sent = notifications(invoice.number)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.details).toMatchObject({ toUserId: invoice.responsibleId })
  })
})
