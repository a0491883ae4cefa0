import type { Page } from 'playwright-core'
import type { AppUnderTest } from './support/app-under-test.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { appFrame, startAppUnderTest } from './support/app-under-test.ts'
import { issuableDeal } from './support/issuable-deal.ts'

describe('never twice: Chromium replays a POST whose answer was lost', () => {
  let t: AppUnderTest
  const used = new Set<number>()

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    await t.control.post('/emulator/docgen', { pdfDelayMs: 500 })
  })
  afterAll(async () => t?.close())

  const state = () => t.emulator.state
  const invoicesOf = (dealId: number) => state().entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))
  const outbox = (invoiceId: number) => state().journal.filter(e => e.kind === 'outbox' && Number((e.details as { owner?: { id?: number } }).owner?.id) === invoiceId)

  async function openDealTab(dealId: number): Promise<Page> {
    const page = await t.open(`/crm/deal/details/${dealId}/?tab=app&user=1&lang=ru`)
    await appFrame(page).locator('[data-testid="issue-button"]').waitFor({ timeout: 30_000 })
    return page
  }

  it('drop-after on the send batch\'s e-mail leaves one e-mail', async () => {
    const dealId = issuableDeal(state(), used)
    const page = await openDealTab(dealId)
    const frame = appFrame(page)
    await frame.locator('[data-testid="issue-button"]').click()
    await frame.locator('[data-testid="issue-preview"]').waitFor()
    await t.control.post('/emulator/stats/reset')
    await t.control.post('/emulator/faults', { method: 'crm.activity.add', times: 1, kind: 'drop-after' })
    await frame.locator('[data-testid="issue-confirm"]').click()
    await frame.locator('[data-testid="issue-outcome"], [data-testid="error-notice"]').first().waitFor({ timeout: 30_000 })
    const stats = await t.control.get<{ restRequests: Record<string, number> }>('/emulator/stats')
    console.log(JSON.stringify(stats.restRequests))
    const invoices = invoicesOf(dealId)
    expect(invoices).toHaveLength(1)
    expect(outbox(Number(invoices[0]!.id))).toHaveLength(1)
  })
})
