import type { SettingsCatalog } from '../../../src/domain/settings/settings-catalog.ts'
import type { Stage } from '../../../src/domain/stage.ts'

const stage = (id: string, name: string, sort: number, categoryId: number, semantics: Stage['semantics'] = 'process'): Stage =>
  ({ id, name, sort, categoryId, semantics, color: null })

/** A small portal: one invoice pipeline (id 5), one deal pipeline, two templates, one company of ours. */
export function catalogFixture(overrides: Partial<SettingsCatalog> = {}): SettingsCatalog {
  return {
    invoicePipelines: [{ id: 5, name: 'Счета', isDefault: true }],
    invoiceStages: [
      stage('DT31_5:N', 'Новый', 10, 5),
      stage('DT31_5:S', 'Отправлен', 20, 5),
      stage('DT31_5:P', 'Оплачен', 40, 5, 'success'),
      stage('DT31_5:D', 'Отклонён', 50, 5, 'failure'),
    ],
    dealPipelines: [{ id: 0, name: 'Общая', isDefault: true }],
    dealStages: [stage('NEW', 'Новая', 10, 0), stage('FINAL_INVOICE', 'Финальный счёт', 50, 0), stage('WON', 'Успешна', 60, 0, 'success')],
    documentTemplates: [{ id: 11, name: 'Счёт на оплату' }, { id: 12, name: 'Счёт (англ.)' }],
    myCompanies: [{ id: 1, name: 'ООО «Инвойс Деск»' }],
    companies: [{ id: 7, name: 'ООО «Ромашка»' }, { id: 8, name: 'АО «Вектор»' }],
    users: [{ id: 1, name: 'Анна' }, { id: 2, name: 'Иван' }],
    baseCurrency: 'RUB',
    ...overrides,
  }
}
