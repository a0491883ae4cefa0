// @vitest-environment happy-dom
import type { Locale } from '../../../src/i18n/messages.ts'
import { describe, expect, it } from 'vitest'
import ReceivablesErrorEntries from '../../../src/components/receivables/ReceivablesErrorEntries.vue'
import ReceivablesKeyMetrics from '../../../src/components/receivables/ReceivablesKeyMetrics.vue'
import { keyMetrics } from '../../../src/domain/receivables/key-metrics.ts'
import { paidReceivable, receivable } from '../../domain/receivables/receivable-fixtures.ts'
import { mountWithKit } from '../mount-with-kit.ts'

const errors = [{ id: 9, at: '2026-11-21T07:35:00+03:00', day: '2026-11-21', action: 'email', invoiceId: 3, dealId: 2, summary: '=HYPERLINK("x") письмо не ушло', code: 'PORTAL_ERROR', message: 'Email send error' }]
const metrics = keyMetrics([
  receivable({ id: 1, dealId: 1, issueDate: '2026-10-05' }),
  paidReceivable('2026-11-10', { id: 3, dealId: 2, issueDate: '2026-11-01' }),
  receivable({ id: 4, issueDate: '2026-11-02' }),
], { categoryId: null, responsibleId: null }, { from: '2026-10-01', to: '2026-11-30' }, {
  dealCreated: new Map([[1, '2026-10-01'], [2, '2026-10-22']]),
  origins: new Map([[1, 'automatic'], [3, 'manual']]),
  errors,
})

describe('components/ReceivablesKeyMetrics', () => {
  it('before it is read: the intro and one button that asks for it', async () => {
    const wrapper = mountWithKit(ReceivablesKeyMetrics, { props: { metrics: null, status: 'idle', asOf: '2026-11-30' } })
    expect(wrapper.text()).toContain('Читаются отдельно')
    await wrapper.get('[data-testid="metrics-open"]').trigger('click')
    expect(wrapper.emitted('open')).toHaveLength(1)
    wrapper.unmount()
  })

  it.each<[Locale, string, string, string]>([
    ['ru', 'От сделки до первого счёта', '7 дней', '50 %'],
    ['en', 'Deal to first invoice', '7 days', '50 %'],
  ])('in %s: four figures with their formulas, a month table, errors that drill', async (locale, label, days, share) => {
    const wrapper = mountWithKit(ReceivablesKeyMetrics, { props: { metrics, status: 'ready', asOf: '2026-11-30' }, locale })
    expect(wrapper.get('[data-testid="figure-metrics-firstInvoice"]').text()).toContain(label)
    expect(wrapper.get('[data-testid="figure-metrics-firstInvoice"] [data-testid="figure-value"]').text()).toBe(days)
    expect(wrapper.get('[data-testid="figure-metrics-automatic"] [data-testid="figure-value"]').text().replace(/\s/g, ' ')).toBe(share.replace(/\s/g, ' '))
    expect(wrapper.get('[data-testid="figure-metrics-errors"] [data-testid="figure-value"]').text()).toBe('1')
    expect(wrapper.findAll('[data-testid="metrics-days"]').map(cell => cell.attributes('data-value'))).toEqual(['4', '10'])
    await wrapper.get('[data-testid="metrics-errors-drill"][data-month="2026-11"]').trigger('click')
    expect(wrapper.emitted('drill')).toEqual([['2026-11']])
    wrapper.unmount()
  })
})

describe('components/ReceivablesErrorEntries', () => {
  it('lists the entries at the portal\'s time, opens the invoice, and its CSV cannot run a formula', async () => {
    const wrapper = mountWithKit(ReceivablesErrorEntries, { props: { title: 'Ошибки журнала: нояб. 2026', entries: errors, name: 'errors-2026-11' } })
    expect(wrapper.text()).toContain('21.11.2026 07:35')
    expect(wrapper.get('[data-testid="metrics-error-summary"]').text()).toContain('письмо не ушло')
    await wrapper.get('[data-invoice-id="3"]').trigger('click')
    expect(wrapper.emitted('openInvoice')).toEqual([[3]])
    const rows = (wrapper.findComponent({ name: 'ReceivablesCsvButton' }).props('rows') as () => string[][])()
    expect(rows[0]![1]).toBe('=HYPERLINK("x") письмо не ушло')
    const { toCsv } = await import('../../../src/domain/receivables/csv.ts')
    expect(toCsv(['a', 'b'], rows)).toContain('"\'=HYPERLINK(""x"") письмо не ушло"')
    wrapper.unmount()
  })
  it('names the invoice by its number when the data has it (the id only when not), and writes the date the English way in English', () => {
    const other = { ...errors[0]!, id: 10, invoiceId: 5, summary: 'второе' }
    const numbers = new Map([[3, 'СЧ-0003']])
    const wrapper = mountWithKit(ReceivablesErrorEntries, { locale: 'en', props: { title: 'Journal errors', entries: [errors[0]!, other], name: 'errors-2026-11', numbers } })
    const invoice = wrapper.get('[data-invoice-id="3"]').text()
    expect(invoice).toBe('Invoice СЧ-0003')
    expect(wrapper.get('[data-invoice-id="5"]').text()).toBe('Invoice #5')
    expect(wrapper.text()).toContain('21/11/2026 07:35')
    expect(wrapper.text()).not.toContain('21.11.2026')
    const rows = (wrapper.findComponent({ name: 'ReceivablesCsvButton' }).props('rows') as () => string[][])()
    expect(rows[0]![2]).toBe('СЧ-0003')
    wrapper.unmount()
  })
})
