import type { InvoiceClient } from '../../../src/domain/issue/client.ts'
import type { IssueInput } from '../../../src/domain/issue/issue-plan.ts'
import type { ProductRow } from '../../../src/domain/issue/product-row.ts'
import type { InvoiceDeskSettings } from '../../../src/domain/settings/settings.ts'
import { describe, expect, it } from 'vitest'
import { planIssue } from '../../../src/domain/issue/issue-plan.ts'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'

const company: InvoiceClient = { type: 'b2b', companyId: 3, contactIds: [7], name: 'ООО «Ромашка»', email: 'buh@romashka.ru', emailOwner: { entityTypeId: 3, id: 7 } }
const person: InvoiceClient = { type: 'b2c', companyId: null, contactIds: [9], name: 'Иван Петров', email: 'ivan@example.ru', emailOwner: { entityTypeId: 3, id: 9 } }

function row(over: Partial<ProductRow> = {}): ProductRow {
  return { productId: 1, name: 'Сервер', unitPriceMinor: 10_000_00, quantity: 2, discountTypeId: 2, discountRate: 0, discountSumMinor: 0, taxRate: 20, taxIncluded: true, measureCode: 796, sort: 10, ...over }
}

function settings(over: (s: InvoiceDeskSettings) => InvoiceDeskSettings = s => s): InvoiceDeskSettings {
  const base = defaultSettings()
  return over({ ...base, invoice: { ...base.invoice, categoryId: 5, sentStageId: 'DT31_5:S', documentTemplateId: 1, myCompanyId: 1 } })
}

function input(over: Partial<IssueInput> = {}): IssueInput {
  return {
    deal: { id: 42, title: 'Поставка серверов', stageId: 'EXECUTING', categoryId: 0, amount: { amountMinor: 20_000_00, currency: 'RUB' }, companyId: 3, contactId: 7, responsibleId: 2 },
    dealRows: [row()],
    client: company,
    settings: settings(),
    today: '2026-11-28',
    ...over,
  }
}

describe('domain/issue/issue-plan', () => {
  it('plans the invoice from the deal: rows, sum, client, our company, responsible, dates and key', () => {
    const result = planIssue(input())
    expect(result.ok).toBe(true)
    if (!result.ok)
      return
    expect(result.plan.invoice).toEqual({
      key: 'invoice-desk:deal:42:deal',
      title: 'Поставка серверов',
      dealId: 42,
      categoryId: 5,
      companyId: 3,
      contactIds: [7],
      myCompanyId: 1,
      responsibleId: 2,
      issueDate: '2026-11-28',
      dueDate: '2026-12-03',
      amount: { amountMinor: 20_000_00, currency: 'RUB' },
    })
    expect(result.plan.client.email).toBe('buh@romashka.ru')
    expect(result.plan.sentStageId).toBe('DT31_5:S')
  })

  it.each<[string, InvoiceClient, (s: InvoiceDeskSettings) => InvoiceDeskSettings, string]>([
    ['B2B default term of 5 days across a month end', company, s => s, '2026-12-03'],
    ['B2C default term of 3 days', person, s => s, '2026-12-01'],
    ['a company\'s own term wins', company, s => ({ ...s, invoice: { ...s.invoice, companyTerms: [{ companyId: 3, days: 30 }] } }), '2026-12-28'],
    ['another company\'s term does not apply', company, s => ({ ...s, invoice: { ...s.invoice, companyTerms: [{ companyId: 99, days: 30 }] } }), '2026-12-03'],
    ['a term of 0 days is due today', person, s => ({ ...s, invoice: { ...s.invoice, paymentTermDays: { b2b: 0, b2c: 0 } } }), '2026-11-28'],
  ])('due date: %s', (_case, client, over, due) => {
    const result = planIssue(input({ client, settings: settings(over) }))
    expect(result.ok && result.plan.invoice.dueDate).toBe(due)
  })

  it('sums the rows, rounding fractional quantities per row', () => {
    const result = planIssue(input({ dealRows: [row({ unitPriceMinor: 333, quantity: 1.5 }), row({ unitPriceMinor: 1_00, quantity: 3 })] }))
    expect(result.ok && result.plan.invoice.amount).toEqual({ amountMinor: 500 + 300, currency: 'RUB' })
  })

  it('invoices a deal without products as one row named after the deal', () => {
    const result = planIssue(input({ dealRows: [] }))
    expect(result.ok && result.plan.rows).toEqual([expect.objectContaining({ name: 'Поставка серверов', unitPriceMinor: 20_000_00, quantity: 1 })])
  })

  it.each<[string, Partial<IssueInput>, string[]]>([
    ['a deal without a client', { client: null }, ['noClient']],
    ['a client without an e-mail', { client: { ...company, email: null } }, ['noEmail']],
    ['a malformed e-mail', { client: { ...company, email: 'buh@romashka' } }, ['badEmail']],
    ['an e-mail with a space', { client: { ...company, email: 'buh @romashka.ru' } }, ['badEmail']],
    ['a zero-sum deal', { dealRows: [], deal: { ...input().deal, amount: { amountMinor: 0, currency: 'RUB' } } }, ['zeroSum']],
    ['no template and no sent stage', { settings: settings(s => ({ ...s, invoice: { ...s.invoice, documentTemplateId: null, sentStageId: null } })) }, ['noTemplate', 'noSentStage']],
    ['several problems at once', { client: null, dealRows: [row({ unitPriceMinor: 0 })] }, ['noClient', 'zeroSum']],
  ])('refuses %s before writing anything', (_case, over, codes) => {
    const result = planIssue(input(over))
    expect(result.ok).toBe(false)
    expect(!result.ok && result.refusals.map(r => r.code)).toEqual(codes)
  })
})
