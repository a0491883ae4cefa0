// @vitest-environment happy-dom
// The notices that say which configured processes and triggers will not start, and why (rights as the docs state them).
import type { IssuePlan } from '../../../src/domain/issue/issue-plan.ts'
import type { ProcessSettings } from '../../../src/domain/settings/settings.ts'
import { describe, expect, it } from 'vitest'
import IssuePreview from '../../../src/components/issue/IssuePreview.vue'
import SettingsProcessesSection from '../../../src/components/settings/SettingsProcessesSection.vue'
import { blockedStarts } from '../../../src/domain/bizproc/process-access.ts'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'
import { catalogFixture } from '../../domain/settings/catalog-fixture.ts'
import { mountWithKit } from '../mount-with-kit.ts'

const plan: IssuePlan = {
  invoice: { key: 'k', title: 'Поставка', dealId: 42, categoryId: 5, companyId: 3, contactIds: [7], myCompanyId: 1, responsibleId: 2, issueDate: '2026-11-28', dueDate: '2026-12-03', amount: { amountMinor: 15_000_000, currency: 'RUB' } },
  rows: [],
  client: { type: 'b2b', companyId: 3, contactIds: [7], name: 'ООО «Ромашка»', email: 'buh@romashka.ru', emailOwner: { entityTypeId: 3, id: 7 } },
  termDays: 5,
  documentTemplateId: 1,
  sentStageId: 'DT31_5:S',
  dealStageAfterSent: null,
}

const none = { processes: [], triggerCode: null }

function configured(): ProcessSettings {
  const base = defaultSettings().processes
  return {
    ...base,
    events: {
      issued: none,
      paid: none,
      promiseBroken: none,
      sent: { processes: [{ templateId: 3, document: 'invoice', name: 'Контроль оплаты', parameters: {} }], triggerCode: 'invoice_sent' },
      reminder: { processes: [{ templateId: 4, document: 'deal', name: 'Звонок клиенту', parameters: {} }], triggerCode: 'invoice_overdue' },
    },
  }
}

describe('components: processes and triggers that will not start', () => {
  it.each([
    ['ru', 'Не запустятся, когда вы выставите счёт', 'бизнес-процесс «Контроль оплаты» (событие «Счёт отправлен») — в Битрикс24 его запускает только администратор'],
    ['en', 'These will not start when you issue the invoice', 'trigger «invoice_sent» (event «Invoice sent») — in Bitrix24 only an administrator starts it'],
  ] as const)('(%s) the issue preview lists what a manager\'s issue will not start', (locale, title, line) => {
    const blocked = blockedStarts(configured(), { kind: 'user', isAdmin: false }, { events: ['issued', 'sent'] })
    const wrapper = mountWithKit(IssuePreview, { locale, props: { plan, templateName: 'Счёт', blockedStarts: blocked } })
    const notice = wrapper.get('[data-testid="bizproc-blocked"]')
    expect(notice.text()).toContain(title)
    expect(notice.text()).toContain(line)
    expect(wrapper.findAll('[data-testid="bizproc-blocked-item"]')).toHaveLength(2)
    wrapper.unmount()
  })

  it('the issue preview shows no notice for an administrator', () => {
    const blocked = blockedStarts(configured(), { kind: 'user', isAdmin: true }, { events: ['issued', 'sent'] })
    const wrapper = mountWithKit(IssuePreview, { props: { plan, templateName: 'Счёт', blockedStarts: blocked } })
    expect(wrapper.find('[data-testid="bizproc-blocked"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('the settings list what will not start for managers and for the runner', () => {
    const processes = structuredClone(configured())
    const wrapper = mountWithKit(SettingsProcessesSection, { props: { modelValue: processes, catalog: catalogFixture(), issues: [], disabled: false } })
    const managers = wrapper.get('[data-testid="bizproc-blocked"][data-audience="managers"]')
    expect(managers.text()).toContain('менеджер')
    expect(managers.findAll('[data-testid="bizproc-blocked-item"]').map(item => item.attributes('data-reason'))).toEqual(['adminOnly', 'adminOnly'])
    const runner = wrapper.get('[data-testid="bizproc-blocked"][data-audience="runner"]')
    expect(runner.text()).toContain('триггер «invoice_overdue» (событие «Напоминание об оплате») — триггеры приложения срабатывают только у администратора в приложении, не из вебхука')
    expect(runner.text()).toContain('«Звонок клиенту»')
    expect(runner.findAll('[data-testid="bizproc-blocked-item"]').map(item => item.attributes('data-reason')).sort()).toEqual(['appContextOnly', 'appContextOnly', 'needsAdminWebhook', 'needsAdminWebhook'])
    wrapper.unmount()
  })

  it('the settings show no notice when nothing is configured', () => {
    const nothing: ProcessSettings = { ...defaultSettings().processes, events: { issued: none, sent: none, paid: none, reminder: none, promiseBroken: none } }
    const wrapper = mountWithKit(SettingsProcessesSection, { props: { modelValue: structuredClone(nothing), catalog: catalogFixture(), issues: [], disabled: false } })
    expect(wrapper.find('[data-testid="bizproc-blocked"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
