import { describe, expect, it } from 'vitest'
import { useHookEmulator } from '../support/hook-emulator.ts'
import { describeCompanyFailure } from '../../src/composables/useCompanySearch.ts'
import { createTranslator } from '../../src/i18n/translate.ts'
import { readCompanyTitles, searchCompanies } from '../../src/portal/crm/company-search.ts'
import { PortalError } from '../../src/portal/portal-error.ts'

const ru = createTranslator('ru')
const en = createTranslator('en')

describe('portal/crm/company-search against the emulator, through the SDK\'s webhook client', () => {
  const hook = useHookEmulator({ limits: 'cloud' })
  const portal = hook.portal
  const companies = () => hook.emulator.state.entities[4]!.items
  const clients = () => companies().filter(company => company.isMyCompany !== 'Y')

  it('finds client companies whose title contains the typed text anywhere, in any case, by title, in one request', async () => {
    const sample = String(clients()[0]!.title)
    // A piece from the middle of the name, in lower case: "LIKE, substring search … in any position" (crm-item-list.md).
    const piece = sample.slice(2, 6).toLowerCase()
    const expected = clients()
      .filter(company => String(company.title).toLowerCase().includes(piece))
      .map(company => ({ id: Number(company.id), name: String(company.title) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    const client = portal()
    hook.emulator.engine.resetStats()

    const found = await searchCompanies(client, `  ${piece} `)

    expect(hook.emulator.stats.httpRequests).toBe(1)
    expect(found.companies).toEqual(expected.slice(0, 50))
    expect(found.companies.map(company => company.id)).toContain(Number(clients()[0]!.id))
    expect(found.more).toBe(expected.length >= 50)
  })

  it('leaves our own companies out and finds nothing for a name no company has, without asking for blank text', async () => {
    const mine = companies().find(company => company.isMyCompany === 'Y')!
    const client = portal()
    expect((await searchCompanies(client, String(mine.title))).companies.map(c => c.id)).not.toContain(Number(mine.id))
    expect(await searchCompanies(client, 'Такой компании нет 0xDEAD')).toEqual({ companies: [], more: false })
    hook.emulator.engine.resetStats()
    expect(await searchCompanies(client, '   ')).toEqual({ companies: [], more: false })
    expect(hook.emulator.stats.httpRequests).toBe(0)
  })

  it('reads the titles of many overrides\' companies in one round trip and leaves deleted companies out', async () => {
    const ids = clients().map(company => Number(company.id))
    // More ids than a page holds (50): two commands, still one batch.
    const deleted = Array.from({ length: 50 }, (_, index) => 900_000 + index)
    const client = portal()
    hook.emulator.engine.resetStats()

    const titles = await readCompanyTitles(client, [...ids, ...deleted, ids[0]!, 0])

    expect(hook.emulator.stats.httpRequests).toBe(1)
    expect(client.roundTrips()).toBe(1)
    expect([...titles.keys()].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b))
    expect(titles.get(ids[0]!)).toBe(String(clients()[0]!.title))
    expect(deleted.some(id => titles.has(id))).toBe(false)
  })

  it('tells a user who may not read companies so, in words, not with a code (the portal\'s ACCESS_DENIED)', async () => {
    // How Bitrix24 refuses a list to a user without the "read" right on companies (crm-item-list.md: "Who can execute
    // the method: any user with 'read' permission"; the refusal as api-reference/crm/universal/crm-item-get.md gives it).
    hook.emulator.engine.faults.add({ method: 'crm.item.list', times: 2, kind: 'error', status: 400, code: 'ACCESS_DENIED', description: 'You do not have permission to view this item' })
    const client = portal()

    const search = await searchCompanies(client, 'ООО').catch((error: unknown) => error)
    const titles = await readCompanyTitles(client, [Number(clients()[0]!.id)]).catch((error: unknown) => error)

    for (const error of [search, titles]) {
      expect(error).toBeInstanceOf(PortalError)
      expect((error as PortalError).code).toBe('ACCESS_DENIED')
      expect(describeCompanyFailure(error, ru).description).toBe('У вас нет прав на просмотр компаний в CRM, поэтому выбрать компанию нельзя. Попросите администратора CRM дать право на чтение компаний.')
      expect(describeCompanyFailure(error, en).description).toContain('You may not view CRM companies')
      expect(describeCompanyFailure(error, ru).detail).toContain('crm.item.list')
    }
  })
})

describe('portal/crm/company-search with a webhook that has no crm scope', () => {
  const hook = useHookEmulator({ webhookScopes: ['user_basic'] })

  it('says the user may not read companies (the portal answers insufficient_scope)', async () => {
    const error = await searchCompanies(hook.portal(), 'ООО').catch((failure: unknown) => failure)
    expect(error).toBeInstanceOf(PortalError)
    expect((error as PortalError).code).toBe('insufficient_scope')
    expect(describeCompanyFailure(error, ru).description).toContain('нет прав на просмотр компаний')
  })
})
