import type { UserDto } from '../receivables/receivables-dto.ts'
import type { PortalClient, RestCall } from '../portal-client.ts'
import { ENTITY, optional } from '../batch-outcome.ts'

/** Names the journal shows instead of ids. */
export interface JournalNames {
  /** `NAME LAST_NAME` by user id. */
  readonly users: ReadonlyMap<number, string>
  /** `accountNumber` by invoice id. */
  readonly invoices: ReadonlyMap<number, string>
  /** `title` by deal id, of the deals the reader may read (a deleted or closed one stays unnamed). */
  readonly deals: ReadonlyMap<number, string>
}

const BATCH_COMMANDS = 50

/**
 * The names of the users, the numbers of the invoices and the titles of the deals a journal page
 * mentions, in ONE batch (nothing when nothing is asked): `user.get` by ID, one command each, one
 * `crm.item.list` of deals (2) by `@id` (the first 50: one page), then `crm.item.list` of invoices
 * (31) by `@id`, 50 ids a command, as far as 50 commands go. The list answers only items the
 * client's token may read (R: api-reference/crm/universal/crm-item-list.md). Names are decoration: a
 * refused command leaves its ids shown as ids.
 */
export async function loadJournalNames(client: PortalClient, userIds: readonly number[], invoiceIds: readonly number[], dealIds: readonly number[] = []): Promise<JournalNames> {
  const calls: Record<string, RestCall> = {}
  const deals = [...new Set(dealIds)].slice(0, 50)
  for (const id of [...new Set(userIds)].slice(0, BATCH_COMMANDS - 1 - (deals.length > 0 ? 1 : 0)))
    calls[`user${id}`] = { method: 'user.get', params: { ID: id } }
  if (deals.length > 0)
    calls.deals = { method: 'crm.item.list', params: { entityTypeId: ENTITY.deal, select: ['id', 'title'], filter: { '@id': deals }, start: -1 } }
  const invoices = [...new Set(invoiceIds)]
  for (let i = 0; i < invoices.length && Object.keys(calls).length < BATCH_COMMANDS; i += 50)
    calls[`invoices${i}`] = { method: 'crm.item.list', params: { entityTypeId: ENTITY.invoice, select: ['id', 'accountNumber'], filter: { '@id': invoices.slice(i, i + 50) }, start: -1 } }
  const names = { users: new Map<number, string>(), invoices: new Map<number, string>(), deals: new Map<number, string>() }
  if (Object.keys(calls).length === 0)
    return names
  const outcomes = await client.batch(calls)
  for (const [key, outcome] of Object.entries(outcomes)) {
    if (key.startsWith('user')) {
      for (const user of optional<UserDto[]>(outcome, [])) {
        const name = [user.NAME, user.LAST_NAME].filter(Boolean).join(' ')
        if (name)
          names.users.set(Number(user.ID), name)
      }
      continue
    }
    for (const item of optional<{ items?: Array<{ id: number | string, accountNumber?: string | null, title?: string | null }> }>(outcome, {}).items ?? []) {
      if (key === 'deals' && item.title)
        names.deals.set(Number(item.id), item.title)
      else if (key !== 'deals' && item.accountNumber)
        names.invoices.set(Number(item.id), item.accountNumber)
    }
  }
  return names
}
