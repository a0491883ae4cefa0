// @vitest-environment happy-dom
import type { IssuePlan } from '../../src/domain/issue/issue-plan.ts'
import { describe, expect, it } from 'vitest'
import IssueDryRunCard from '../../src/components/issue/IssueDryRunCard.vue'
import IssuePreview from '../../src/components/issue/IssuePreview.vue'
import IssueProgress from '../../src/components/issue/IssueProgress.vue'
import IssueRefusals from '../../src/components/issue/IssueRefusals.vue'
import { mountWithKit } from './mount-with-kit.ts'

const plan: IssuePlan = {
  invoice: { key: 'k', title: 'Поставка', dealId: 42, categoryId: 5, companyId: 3, contactIds: [7], myCompanyId: 1, responsibleId: 2, issueDate: '2026-11-28', dueDate: '2026-12-03', amount: { amountMinor: 15_000_000, currency: 'RUB' } },
  rows: [],
  client: { type: 'b2b', companyId: 3, contactIds: [7], name: 'ООО «<script>»', email: 'buh@romashka.ru', emailOwner: { entityTypeId: 3, id: 7 } },
  termDays: 5,
  documentTemplateId: 1,
  sentStageId: 'DT31_5:S',
  dealStageAfterSent: null,
}

describe('components/issue', () => {
  it.each([
    ['ru', '07.12.2026', 'Номер счёта и ссылка в письме — примеры'],
    ['en', '07/12/2026', 'The invoice number and link in the e-mail are samples'],
  ] as const)('(%s) IssueDryRunCard writes the task deadline like every other date and marks the sample values', (locale, date, note) => {
    const dry = {
      plan,
      email: { to: 'buh@romashka.ru', sender: { messageFrom: null, source: 'manager' }, subject: 'Счёт № 0042 (пример)', html: '<p>x</p>' },
      invoiceStage: { id: 'DT31_5:S', name: 'Отправлен' },
      dealStage: null,
      notifyUserIds: [],
      tasks: [{ title: 'Проверить оплату', deadline: '2026-12-07T18:00:00' }],
      processes: [],
      approvalTemplateId: null,
      samples: true,
    }
    const wrapper = mountWithKit(IssueDryRunCard, { locale, props: { dry } })
    expect(wrapper.text()).toContain(date)
    expect(wrapper.text()).not.toContain('2026-12-07')
    expect(wrapper.get('[data-testid="dry-run-samples"]').text()).toContain(note)
    wrapper.unmount()
  })

  it.each([
    ['ru', 'Поставка оборудования', 'Согласование счёта', 'потребует согласования'],
    ['en', 'Поставка оборудования', 'Согласование счёта', 'needs approval'],
  ] as const)('(%s) IssuePreview names the deal first and says when approval will be needed', (locale, deal, process, words) => {
    const wrapper = mountWithKit(IssuePreview, { locale, props: { plan, templateName: 'T', dealTitle: deal, approval: { name: process } } })
    const rows = wrapper.findAll('dd')
    expect(rows[0]!.text()).toBe(deal)
    expect(wrapper.get('[data-testid="issue-approval"]').text()).toContain(words)
    expect(wrapper.get('[data-testid="issue-approval"]').text()).toContain(process)
    wrapper.unmount()
    const none = mountWithKit(IssuePreview, { locale, props: { plan, templateName: 'T' } })
    expect(none.find('[data-testid="issue-approval"]').exists()).toBe(false)
    none.unmount()
  })

  it('IssuePreview shows client, address, sum and due date, escapes names, and confirms', async () => {
    const wrapper = mountWithKit(IssuePreview, { props: { plan, templateName: 'Счёт на оплату', otherOpenInvoices: 2 } })
    expect(wrapper.get('[data-testid="issue-client"]').text()).toBe('ООО «<script>»')
    expect(wrapper.get('[data-testid="issue-client"]').element.innerHTML).toContain('&lt;script&gt;')
    expect(wrapper.get('[data-testid="issue-email"]').text()).toBe('buh@romashka.ru')
    expect(wrapper.get('[data-testid="issue-sum"]').text().replace(/\s/g, ' ')).toContain('150 000,00 ₽')
    expect(wrapper.get('[data-testid="issue-due"]').text()).toContain('03.12.2026 · 5 дней')
    expect(wrapper.get('[data-testid="issue-others"]').text()).toContain('уже есть 2 счёта')
    await wrapper.get('[data-testid="issue-confirm"]').trigger('click')
    expect(wrapper.emitted('confirm')).toHaveLength(1)
    wrapper.unmount()
  })

  it.each([
    ['ru', { messageFrom: 'Бухгалтерия <billing@invoice-desk.example>', fallback: null, copyToSender: false }, 'Бухгалтерия <billing@invoice-desk.example>', 'ссылка на публичную страницу счёта, без вложения'],
    ['ru', { messageFrom: null, fallback: 'portal', copyToSender: false }, 'если ящика нет, письмо не уйдёт', 'без вложения'],
    ['en', { messageFrom: null, fallback: 'noManagerEmail', copyToSender: false }, 'the responsible has no e-mail in their profile', 'no attachment'],
  ] as const)('(%s) IssuePreview shows who the e-mail comes from and that it carries the link only', (locale, sender, from, content) => {
    const wrapper = mountWithKit(IssuePreview, { locale, props: { plan, templateName: 'T', sender } })
    expect(wrapper.get('[data-testid="issue-from"]').text()).toContain(from)
    expect(wrapper.get('[data-testid="issue-content"]').text()).toContain(content)
    wrapper.unmount()
  })

  it('IssuePreview disables confirming while busy', () => {
    const wrapper = mountWithKit(IssuePreview, { props: { plan, templateName: 'T', busy: true } })
    expect(wrapper.get('[data-testid="issue-confirm"]').attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-testid="issue-others"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it.each([
    [{ code: 'noClient' as const }, 'У сделки нет клиента'],
    [{ code: 'noEmail' as const, client: 'ИП Соколова' }, 'У клиента «ИП Соколова» нет e-mail'],
    [{ code: 'badEmail' as const, email: 'buh@romashka' }, 'Адрес «buh@romashka» написан с ошибкой'],
    [{ code: 'zeroSum' as const }, 'Сумма сделки равна нулю'],
  ])('IssueRefusals says %o as a sentence', (refusal, text) => {
    const wrapper = mountWithKit(IssueRefusals, { props: { refusals: [refusal] } })
    expect(wrapper.get('[data-testid="issue-refusal"]').text()).toContain(text)
    wrapper.unmount()
  })

  it('IssueRefusals names each refused setting, its section and who fixes it', () => {
    const refusal = { code: 'settingsInvalid' as const, issues: [
      { path: 'invoice.categoryId', code: 'pipelineMissing' as const },
      { path: 'email.templates.invoice.ru.subject', code: 'unbalancedBrace' as const },
    ] }
    const wrapper = mountWithKit(IssueRefusals, { props: { refusals: [refusal] } })
    const lines = wrapper.findAll('[data-testid="issue-refusal"]').map(line => line.text())
    expect(lines).toHaveLength(2)
    expect(lines[0]).toContain('Настройки → Счёт')
    expect(lines[0]).toContain('invoice.categoryId')
    expect(lines[0]).toContain('Такой воронки больше нет')
    expect(lines[0]).toContain('администратор')
    expect(lines[1]).toContain('Настройки → Шаблоны писем')
    expect(lines[1]).toContain('«{»')
    wrapper.unmount()
  })

  it('IssueProgress lists every step with its status', () => {
    const steps = { invoice: 'done', products: 'done', document: 'skipped', pdf: 'running', email: 'pending', stages: 'pending', notify: 'failed' } as const
    const wrapper = mountWithKit(IssueProgress, { props: { steps } })
    const items = wrapper.findAll('[data-step]')
    expect(items.map(item => [item.attributes('data-step'), item.attributes('data-status')])).toEqual(Object.entries(steps))
    expect(items[3]!.text()).toContain('PDF готов')
    wrapper.unmount()
  })
})
