import type { NamedRef } from '../../domain/settings/settings-catalog.ts'
import type { PortalClient, RestCall } from '../portal-client.ts'
import { ENTITY, required } from '../batch-outcome.ts'

/** `crm.item.list` row of a company, as far as the picker reads it. */
interface CompanyDto { id: number | string, title?: string | null }

/** One page of `crm.item.list` (R: api-reference/crm/universal/crm-item-list.md). */
const PAGE_SIZE = 50

/** Client companies whose title contains the text, and whether the portal may have more than the page shows. */
export interface CompanySearchResult {
  readonly companies: readonly NamedRef[]
  /** A full page came back: more companies may match, the admin should type more of the name. */
  readonly more: boolean
}

const companyOf = (dto: CompanyDto): NamedRef => ({ id: Number(dto.id), name: dto.title ?? '' })

/**
 * The portal's client companies whose title contains `text` anywhere, case as the portal compares it, by title, first
 * page (50) only: one `crm.item.list` (entityTypeId 4) with the filter `%title`, "LIKE, substring search; the symbol %
 * does not need to be passed" (R: api-reference/crm/universal/crm-item-list.md). Our own companies (`isMyCompany`) are
 * left out: reminders go to clients. Companies the user may not read are not in the answer (same page); a user who
 * may not read companies at all gets `ACCESS_DENIED`, thrown as a `PortalError` like any refusal. Blank text: no request.
 */
export async function searchCompanies(portal: PortalClient, text: string): Promise<CompanySearchResult> {
  const needle = text.trim()
  if (needle === '')
    return { companies: [], more: false }
  const { items } = await portal.call<{ items: CompanyDto[] }>('crm.item.list', {
    entityTypeId: ENTITY.company,
    select: ['id', 'title'],
    filter: { '%title': needle, 'isMyCompany': 'N' },
    order: { title: 'ASC' },
  })
  return { companies: items.map(companyOf), more: items.length >= PAGE_SIZE }
}

/** `crm.item.list` commands reading the titles of `ids`, 50 ids each (a page), keyed `titles<n>`. */
function titleCalls(ids: readonly number[]): Record<string, RestCall> {
  const calls: Record<string, RestCall> = {}
  for (let start = 0; start < ids.length; start += PAGE_SIZE) {
    const chunk = ids.slice(start, start + PAGE_SIZE)
    calls[`titles${start / PAGE_SIZE}`] = { method: 'crm.item.list', params: { entityTypeId: ENTITY.company, select: ['id', 'title'], filter: { '@id': chunk } } }
  }
  return calls
}

/**
 * The titles of the companies `ids` in ONE round trip (a batch of `crm.item.list` with `@id`, 50 ids a command, at most
 * 50 commands: 2,500 ids). An id missing from the answer is a company deleted since, or one the user may not read
 * (the portal leaves those out, R: api-reference/crm/universal/crm-item-list.md): the map has no entry for it.
 * Throws the first command's `PortalError` (e.g. `ACCESS_DENIED`). No ids: no request.
 */
export async function readCompanyTitles(portal: PortalClient, ids: readonly number[]): Promise<ReadonlyMap<number, string>> {
  const wanted = [...new Set(ids.filter(id => Number.isInteger(id) && id > 0))].slice(0, PAGE_SIZE * PAGE_SIZE)
  if (wanted.length === 0)
    return new Map()
  const calls = titleCalls(wanted)
  const outcomes = await portal.batch(calls)
  const found = Object.keys(calls).flatMap(key => required<{ items: CompanyDto[] }>(outcomes[key], 'crm.item.list').items.map(companyOf))
  return new Map(found.map(company => [company.id, company.name]))
}
