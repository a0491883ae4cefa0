import { describe, expect, it } from 'vitest'
import { APP_PLACEMENTS } from '../../../src/domain/install/install-plan.ts'
import { portalDateOf } from '../core/portal-time.ts'
import { demoPlacements, generatePortal } from '../data/generate.ts'

const NOW = Date.parse('2026-03-15T10:00:00+03:00')

describe('data generator', () => {
  it('binds the demo placements with the titles the app installs, in Russian and English', () => {
    for (const bound of demoPlacements('https://app.example/')) {
      const wanted = APP_PLACEMENTS.find(p => p.placement === bound.placement)!
      expect(bound.title).toBe(wanted.title.ru)
      expect(bound.langAll).toEqual({ ru: { TITLE: wanted.title.ru, DESCRIPTION: '', GROUP_NAME: '' }, en: { TITLE: wanted.title.en, DESCRIPTION: '', GROUP_NAME: '' } })
    }
  })

  it('is deterministic: same seed and clock → same data', () => {
    const a = generatePortal('demo', NOW, 'http://app/')
    const b = generatePortal('demo', NOW, 'http://app/')
    expect(JSON.stringify(a.entities)).toBe(JSON.stringify(b.entities))
    expect(a.productRows).toEqual(b.productRows)
    expect(JSON.stringify(generatePortal('demo', NOW, 'http://app/', 7).entities)).not.toBe(JSON.stringify(a.entities))
  })

  it('demo: a small company with invoices in every state, overdue ones and one due today', () => {
    const state = generatePortal('demo', NOW, 'http://app/')
    const invoices = state.entities[31].items
    const today = portalDateOf(NOW)
    expect(state.entities[4].items.filter(company => company.isMyCompany === 'Y')).toHaveLength(1)
    expect(state.entities[4].items.length).toBe(13)
    expect(state.entities[3].items.length).toBe(20)
    expect(state.entities[2].items.length).toBe(30)
    const stages = new Set(invoices.map(invoice => invoice.stageId))
    for (const stage of ['DT31_5:N', 'DT31_5:S', 'DT31_5:P', 'DT31_5:D']) expect(stages).toContain(stage)
    const open = invoices.filter(invoice => invoice.stageId === 'DT31_5:S' || invoice.stageId === 'DT31_5:UC_K4BLQ2')
    expect(open.some(invoice => String(invoice.closedate).startsWith(today))).toBe(true)
    expect(open.filter(invoice => String(invoice.closedate).slice(0, 10) < today).length).toBeGreaterThan(3)
    expect(new Set(invoices.map(invoice => invoice.currencyId))).toEqual(new Set(['RUB', 'USD', 'EUR']))
    expect(invoices.every(invoice => invoice.categoryId === 5 && Number(invoice.parentId2) > 0)).toBe(true)
    expect(state.app.installed).toBe(true)
    expect(state.app.placements.map(entry => entry.placement)).toEqual(['CRM_DEAL_DETAIL_TAB', 'CRM_DEAL_LIST_MENU', 'CRM_SMART_INVOICE_DETAIL_TAB', 'CRM_ANALYTICS_MENU'])
    for (const invoice of invoices) {
      const rows = state.productRows.filter(row => row.ownerType === 'SI' && row.ownerId === invoice.id)
      expect(rows.length).toBeGreaterThan(0)
      expect(invoice.opportunity).toBeCloseTo(rows.reduce((sum, row) => sum + row.price * row.quantity, 0))
    }
  })

  it('empty: directories only, app not installed', () => {
    const state = generatePortal('empty', NOW, 'http://app/')
    expect(state.entities[31].items).toHaveLength(0)
    expect(state.entities[2].items).toHaveLength(0)
    expect(state.entities[4].items).toHaveLength(1)
    expect(state.app.installed).toBe(false)
    expect(state.app.placements).toHaveLength(0)
  })

  it('large: 100,000 invoices in well under a few seconds, sorted by id', () => {
    const started = performance.now()
    const state = generatePortal('large:100000', NOW, 'http://app/')
    expect(performance.now() - started).toBeLessThan(5000)
    const invoices = state.entities[31].items
    expect(invoices).toHaveLength(100_000)
    expect(invoices.every((invoice, index) => invoice.id === index + 1)).toBe(true)
  })
})
