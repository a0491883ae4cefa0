import { describe, expect, it } from 'vitest'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'
import { openInvoiceStages, resolveSettings } from '../../../src/domain/settings/settings-catalog.ts'
import { catalogFixture } from './catalog-fixture.ts'

describe('domain/settings/settings-catalog', () => {
  it('resolves "portal default" choices to the portal\'s pipeline, its second open stage, first template and our company', () => {
    expect(resolveSettings(defaultSettings(), catalogFixture()).invoice).toMatchObject({
      categoryId: 5, sentStageId: 'DT31_5:S', documentTemplateId: 11, myCompanyId: 1,
    })
  })

  it('keeps explicit choices, even ones the portal no longer has (validation reports those)', () => {
    const settings = { ...defaultSettings(), invoice: { ...defaultSettings().invoice, documentTemplateId: 14, sentStageId: 'DT31_5:N' } }
    expect(resolveSettings(settings, catalogFixture()).invoice).toMatchObject({ documentTemplateId: 14, sentStageId: 'DT31_5:N' })
  })

  it.each([
    ['no templates', catalogFixture({ documentTemplates: [] }), { documentTemplateId: null }],
    ['no company of ours', catalogFixture({ myCompanies: [] }), { myCompanyId: null }],
    ['a pipeline with a single open stage', catalogFixture({ invoiceStages: catalogFixture().invoiceStages.filter(s => s.id !== 'DT31_5:S') }), { sentStageId: 'DT31_5:N' }],
  ])('leaves what the portal cannot fill with %s', (_name, catalog, expected) => {
    expect(resolveSettings(defaultSettings(), catalog).invoice).toMatchObject(expected)
  })

  it('lists open stages of a pipeline in pipeline order', () => {
    expect(openInvoiceStages(catalogFixture(), 5).map(stage => stage.id)).toEqual(['DT31_5:N', 'DT31_5:S'])
  })
})
