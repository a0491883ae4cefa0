// crm.requisite.list: the demo's company requisites, select, filter prefixes, paging; valid INNs.
import { describe, expect, it } from 'vitest'
import { innFor } from '../data/requisites.ts'
import { useDemoPortal, type RestClient } from './rest-client.ts'

let client: RestClient
useDemoPortal(portal => ({ client } = portal))

type Row = Record<string, string>

/** The checksum rules of the Federal Tax Service for 10- and 12-digit INNs. */
function innValid(inn: string): boolean {
  const d = [...inn].map(Number)
  const sum = (weights: number[]) => (weights.reduce((s, w, i) => s + w * d[i]!, 0) % 11) % 10
  if (inn.length === 10) return sum([2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[9]
  return inn.length === 12 && sum([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[10] && sum([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[11]
}

describe('crm.requisite.list', () => {
  it('answers every field as strings when nothing is selected, and only the selected ones otherwise', async () => {
    const all = await client.hook('crm.requisite.list', { filter: { ENTITY_TYPE_ID: 4, ENTITY_ID: 2 } })
    const [row] = all.body.result as Row[]
    expect(row).toMatchObject({ ID: '2', ENTITY_TYPE_ID: '4', ENTITY_ID: '2', PRESET_ID: '1', ACTIVE: 'Y', RQ_COMPANY_NAME: 'ООО «Ромашка»' })
    expect(Object.keys(row!)).toContain('RQ_OGRN')
    expect(all.body.total).toBe(1)
    const picked = await client.app(2, 'crm.requisite.list', { filter: { ENTITY_TYPE_ID: '4', ENTITY_ID: '2' }, select: ['ENTITY_ID', 'RQ_INN'] })
    expect(picked.body.result).toEqual([{ ENTITY_ID: '2', RQ_INN: innFor(2, false) }])
  })

  it('gives the demo\'s client companies valid INNs — 12 digits for individual entrepreneurs — and leaves every fourth without', async () => {
    const rows = (await client.hook('crm.requisite.list', { filter: { ENTITY_TYPE_ID: 4 }, select: ['ENTITY_ID', 'RQ_INN', 'RQ_NAME'] })).body.result as Row[]
    expect(rows.length).toBeGreaterThan(8)
    expect(rows.every(r => innValid(r.RQ_INN!))).toBe(true)
    expect(rows.find(r => r.ENTITY_ID === '4')).toBeUndefined()
    expect(rows.find(r => r.RQ_NAME === 'Соколова Е. Н.')?.RQ_INN).toHaveLength(12)
  })

  it('filters by a list of INNs with @ and pages by 50', async () => {
    const inns = [innFor(2, false), innFor(3, false)]
    const found = await client.hook('crm.requisite.list', { filter: { '@RQ_INN': inns }, select: ['ENTITY_ID'] })
    expect(found.body.result).toEqual([{ ENTITY_ID: '2' }, { ENTITY_ID: '3' }])
    const paged = await client.hook('crm.requisite.list', { start: 50 })
    expect([paged.body.result, paged.body.next]).toEqual([[], undefined])
  })
})

describe('crm.requisite.bankdetail.list', () => {
  it('lists our company\'s bank detail under its requisite (ENTITY_ID), every field a string, select honoured', async () => {
    const ours = (await client.hook('crm.item.list', { entityTypeId: 4, filter: { isMyCompany: 'Y' }, select: ['id'] })).body.result as { items: Array<{ id: number }> }
    const requisites = (await client.hook('crm.requisite.list', { filter: { 'ENTITY_TYPE_ID': 4, '@ENTITY_ID': ours.items.map(c => c.id) }, select: ['ID'] })).body.result as Row[]
    const all = await client.hook('crm.requisite.bankdetail.list', { filter: { '@ENTITY_ID': requisites.map(r => r.ID) } })
    expect(all.body.total).toBe(1)
    expect((all.body.result as Row[])[0]).toMatchObject({ ENTITY_ID: requisites[0]!.ID, COUNTRY_ID: '1', RQ_ACC_NUM: '40702810900000000001', RQ_BIK: '044525225' })
    const picked = await client.app(2, 'crm.requisite.bankdetail.list', { filter: { ENTITY_ID: requisites[0]!.ID }, select: ['RQ_ACC_NUM'] })
    expect(picked.body.result).toEqual([{ RQ_ACC_NUM: '40702810900000000001' }])
  })
})
