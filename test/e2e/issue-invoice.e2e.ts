import type { Page } from 'playwright-core'
import type { AppUnderTest } from './support/app-under-test.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'

describe('one click in the deal card: issue and send (Chromium)', () => {
  let t: AppUnderTest
  const used = new Set<number>()

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    await t.control.post('/emulator/docgen', { pdfDelayMs: 1_000 })
  })
  afterAll(async () => t?.close())

  const state = () => t.emulator.state
  const invoicesOf = (dealId: number) => state().entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))
  const outbox = (invoiceId: number) => state().journal.filter(e => e.kind === 'outbox' && Number((e.details as { owner?: { id?: number } }).owner?.id) === invoiceId)
  const notifications = (number: string) => state().journal.filter(e => e.kind === 'notifications' && JSON.stringify(e.details).includes(number))

  /**
   * An admin-visible demo deal whose client has a valid e-mail and that has no app invoice yet, of
   * `responsibleId` or by default of anyone with a CRM mailbox (the default settings name no sender).
   */
  function issuableDeal(responsibleId: number | null = null): { id: number, email: string } {
    const withMailbox = new Set(state().users.filter(user => user.crmMailbox).map(user => user.id))
    for (const deal of state().entities[2]!.items) {
      const id = Number(deal.id)
      const responsible = Number(deal.assignedById)
      if (used.has(id) || Number(deal.opportunity) <= 0 || invoicesOf(id).length > 0 || (responsibleId === null ? !withMailbox.has(responsible) : responsible !== responsibleId))
        continue
      const people = [state().entities[3]!.byId.get(Number(deal.contactId)), state().entities[4]!.byId.get(Number(deal.companyId))]
      const email = people.flatMap(p => ((p?.fm ?? []) as Array<{ typeId: string, value: string }>).filter(f => f.typeId === 'EMAIL').map(f => f.value))[0]
      if (email && /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(email)) {
        used.add(id)
        return { id, email }
      }
    }
    throw new Error('no issuable demo deal left')
  }

  async function openDealTab(dealId: number, lang = 'ru'): Promise<Page> {
    const page = await t.open(`/crm/deal/details/${dealId}/?tab=app&user=1&lang=${lang}`)
    await appFrame(page).locator('[data-testid="issue-button"]').waitFor({ timeout: 30_000 })
    return page
  }

  it('previews, then one click issues, e-mails once with the link, moves the stage and notifies once', async () => {
    const deal = issuableDeal()
    const page = await openDealTab(deal.id)
    const frame = appFrame(page)
    await frame.locator('[data-testid="issue-button"]').click()
    await frame.locator('[data-testid="issue-preview"]').waitFor()
    expect(await frame.locator('[data-testid="issue-email"]').innerText()).toBe(deal.email)
    await page.screenshot({ path: `${ARTIFACTS}/issue-preview-ru.png` })

    // A double click on confirm must not issue twice.
    await frame.locator('[data-testid="issue-confirm"]').dblclick()
    await frame.locator('[data-testid="issue-outcome"]').waitFor({ timeout: 30_000 })
    await page.screenshot({ path: `${ARTIFACTS}/issue-done-ru.png` })

    const invoices = invoicesOf(deal.id)
    expect(invoices).toHaveLength(1)
    const invoiceId = Number(invoices[0]!.id)
    const emails = outbox(invoiceId)
    expect(emails).toHaveLength(1)
    expect(JSON.stringify(emails[0]!.details)).toContain(deal.email)
    expect(JSON.stringify(emails[0]!.details)).toMatch(/https?:\/\/[^"\\]+\/~/)
    expect(invoices[0]!.stageId).toBe('DT31_5:S')
    expect(notifications(String(invoices[0]!.accountNumber))).toHaveLength(1)
    expect(await frame.locator('[data-testid="issue-progress"] [data-status="failed"]').count()).toBe(0)
    // The new invoice shows up in the tab's list.
    await frame.locator(`[data-testid="invoice-number"]:text("${invoices[0]!.accountNumber}")`).waitFor({ timeout: 10_000 })

    // «Send again» e-mails the same invoice once more, nothing else.
    await frame.locator('[data-testid="issue-resend"]').click()
    await frame.locator('[data-testid="issue-resent"]').waitFor({ timeout: 10_000 })
    expect(await frame.locator('[data-testid="issue-resent"]').innerText()).toContain(deal.email)
    expect(outbox(invoiceId)).toHaveLength(2)
    expect(invoicesOf(deal.id)).toHaveLength(1)
  })

  it('names the failed step, then the retry finishes without a second invoice or e-mail', async () => {
    const deal = issuableDeal()
    // A portal error on the e-mail (the dropped-connection cases are covered in the flow tests: Chromium
    // itself re-sends a POST whose reused connection closed without an answer).
    await t.control.post('/emulator/faults', { method: 'crm.activity.add', times: 1, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Injected' })
    const page = await openDealTab(deal.id)
    const frame = appFrame(page)
    await frame.locator('[data-testid="issue-button"]').click()
    await frame.locator('[data-testid="issue-confirm"]').click()
    const notice = frame.locator('[data-testid="error-notice"]')
    await notice.waitFor({ timeout: 30_000 })
    expect(await notice.innerText()).toContain('Не получилось: отправка письма. Уже сделано: создание счёта')
    await page.screenshot({ path: `${ARTIFACTS}/issue-failed-ru.png` })
    await notice.locator('button').click()
    await frame.locator('[data-testid="issue-outcome"]').waitFor({ timeout: 30_000 })
    const invoices = invoicesOf(deal.id)
    expect(invoices).toHaveLength(1)
    expect(outbox(Number(invoices[0]!.id))).toHaveLength(1)
  })

  it('two tabs confirming at once leave one invoice and one e-mail', async () => {
    const deal = issuableDeal()
    const pages = await Promise.all([openDealTab(deal.id), openDealTab(deal.id)])
    for (const page of pages) {
      await appFrame(page).locator('[data-testid="issue-button"]').click()
      await appFrame(page).locator('[data-testid="issue-preview"]').waitFor()
    }
    await Promise.all(pages.map(page => appFrame(page).locator('[data-testid="issue-confirm"]').click()))
    await Promise.all(pages.map(page => appFrame(page).locator('[data-testid="issue-outcome"]').waitFor({ timeout: 30_000 })))
    const invoices = invoicesOf(deal.id)
    expect(invoices).toHaveLength(1)
    expect(outbox(Number(invoices[0]!.id))).toHaveLength(1)
  })

  it('refuses a deal without a client up front, in English too, writing nothing', async () => {
    const created = await fetch(`${t.emulatorUrl}/rest/1/demo-webhook-secret/crm.item.add`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ entityTypeId: 2, fields: { title: 'No client', opportunity: 5000, currencyId: 'RUB', assignedById: 1 } }),
    }).then(r => r.json()) as { result: { item: { id: number } } }
    const before = state().entities[31]!.items.length
    const page = await openDealTab(created.result.item.id, 'en')
    const frame = appFrame(page)
    await frame.locator('[data-testid="issue-button"]').click()
    await frame.locator('[data-testid="issue-refusals"]').waitFor()
    expect(await frame.locator('[data-testid="issue-refusal"]').innerText()).toContain('The deal has no client')
    expect(state().entities[31]!.items.length).toBe(before)
  })

  it('issues from the deal list\'s row menu (CRM_DEAL_LIST_MENU) in a slider', async () => {
    const deal = issuableDeal()
    const page = await t.open('/crm/deal/list/?user=1&lang=ru')
    await page.locator(`[data-testid="deal-row"][data-deal-id="${deal.id}"] [data-testid="row-menu"]`).click()
    await page.locator('[data-testid="row-menu-app"]').first().click()
    const frame = page.frameLocator('[data-testid="app-slider"] [data-testid="app-frame"][data-placement="CRM_DEAL_LIST_MENU"]')
    // The deal, client and sum come first, before any click.
    await frame.locator('[data-testid="issue-preview"]').waitFor({ timeout: 30_000 })
    expect(await frame.locator('[data-testid="issue-deal"]').innerText()).toBe(String(state().entities[2]!.byId.get(deal.id)!.title))
    expect(await frame.locator('[data-testid="issue-client"]').innerText()).not.toBe('')
    expect(await frame.locator('[data-testid="issue-sum"]').innerText()).toMatch(/₽/)
    await page.screenshot({ path: `${ARTIFACTS}/issue-list-menu-preview-ru.png` })
    await frame.locator('[data-testid="issue-confirm"]').click()
    await frame.locator('[data-testid="issue-outcome"]').waitFor({ timeout: 30_000 })
    await page.screenshot({ path: `${ARTIFACTS}/issue-list-menu-ru.png` })
    expect(invoicesOf(deal.id)).toHaveLength(1)
    expect(outbox(Number(invoicesOf(deal.id)[0]!.id))).toHaveLength(1)
  })
})
