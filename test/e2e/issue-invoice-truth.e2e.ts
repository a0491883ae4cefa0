import type { Page } from 'playwright-core'
import type { AppUnderTest } from './support/app-under-test.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'
import { issuableDeal as sharedIssuableDeal } from './support/issuable-deal.ts'

describe('issue and send tells the truth across reloads and tabs (Chromium)', () => {
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

  /** A deal whose responsible has a CRM mailbox (these settings name no sender). */
  const issuableDeal = (): number => sharedIssuableDeal(state(), used)

  async function openDealTab(dealId: number): Promise<Page> {
    const page = await t.open(`/crm/deal/details/${dealId}/?tab=app&user=1&lang=ru`)
    await appFrame(page).locator('[data-testid="issue-button"]').waitFor({ timeout: 30_000 })
    return page
  }

  async function issueIn(page: Page): Promise<void> {
    const frame = appFrame(page)
    await frame.locator('[data-testid="issue-button"]').click()
    await frame.locator('[data-testid="issue-confirm"]').click()
  }

  it('after a failed e-mail the same tab resumes at once after a reload; another browser is told to wait', async () => {
    const dealId = issuableDeal()
    await t.control.post('/emulator/faults', { method: 'crm.activity.add', times: 1, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Injected' })
    const first = await openDealTab(dealId)
    await issueIn(first)
    await appFrame(first).locator('[data-testid="error-notice"]').waitFor({ timeout: 30_000 })

    const other = await openDealTab(dealId)
    await issueIn(other)
    const waiting = appFrame(other).locator('[data-testid="issue-outcome"]')
    await waiting.waitFor({ timeout: 30_000 })
    expect(await waiting.getAttribute('data-status')).toBe('in-progress')

    await first.reload()
    await appFrame(first).locator('[data-testid="issue-button"]').waitFor({ timeout: 30_000 })
    await issueIn(first)
    const done = appFrame(first).locator('[data-testid="issue-outcome"]')
    await done.waitFor({ timeout: 30_000 })
    expect(await done.getAttribute('data-status')).toBe('sent')
    expect(invoicesOf(dealId)).toHaveLength(1)
    expect(outbox(Number(invoicesOf(dealId)[0]!.id))).toHaveLength(1)
  })

  it('an e-mail the portal confirmed but the app could not record: a person decides, and «Письмо ушло» finishes without a second e-mail', async () => {
    const dealId = issuableDeal()
    await t.control.post('/emulator/faults', { method: 'crm.timeline.logmessage.add', times: 2, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Injected' })
    const page = await openDealTab(dealId)
    const frame = appFrame(page)
    await issueIn(page)
    const outcome = frame.locator('[data-testid="issue-outcome"]')
    await outcome.waitFor({ timeout: 30_000 })
    expect(await outcome.getAttribute('data-status')).toBe('unconfirmed')
    expect(await outcome.innerText()).toContain('ответил, что письмо')
    await page.screenshot({ path: `${ARTIFACTS}/issue-unconfirmed-ru.png` })
    const invoiceId = Number(invoicesOf(dealId)[0]!.id)
    expect(outbox(invoiceId)).toHaveLength(1)

    await frame.locator('[data-testid="issue-decide-sent"]').click()
    await frame.locator('[data-testid="issue-outcome"][data-status="sent"]').waitFor({ timeout: 30_000 })
    expect(outbox(invoiceId)).toHaveLength(1)
    expect(invoicesOf(dealId)[0]!.stageId).toBe('DT31_5:S')
  })
})
