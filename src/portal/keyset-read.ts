import type { PortalClient, RestCall } from './portal-client.ts'
import type { IdRange } from './receivables/scan-plan.ts'
import { required } from './batch-outcome.ts'
import { coveredBy, idsPerPage, PAGE_SIZE, planBounds, subtractCovered } from './receivables/scan-plan.ts'

/** Bitrix24 runs at most 50 commands in one batch. */
const BATCH_COMMANDS = 50

/** A list command for `params` (`filter`, `order`, `start`, maybe `select`) merged into the method's own. */
export type ListPage = (params: { readonly filter: Record<string, unknown>, readonly order: Record<string, 'ASC' | 'DESC'>, readonly start: number, readonly select?: readonly string[] }) => RestCall

/**
 * Every row a list method returns for `filter`, ordered by id, in 1 + ⌈N/2500⌉ HTTP requests for N
 * rows (rarely one more): one batch with the first page counted and the highest matching id, then
 * batches of 50 keyset pages (`order id`, `>=id`, `start: -1`: no count, R:
 * settings/performance/huge-data.md) planned from the count and the id range (`scan-plan.ts`).
 * Offset pages (`start: 50, 100 …`) make the portal count the matches on every page: each costs the
 * method's operating time for the whole table (R: settings/performance/limits.md, 480 s per 10 minutes),
 * which a table of tens of thousands of rows spends in one read.
 */
export async function readAllByKeyset<Row extends { id: number | string }>(client: PortalClient, page: ListPage, filter: Record<string, unknown>, method = 'crm.item.list'): Promise<Row[]> {
  const rowsOf = (outcome: Parameters<typeof required>[0]) => required<{ items: Row[] }>(outcome, method).items
  const head = await client.batch({
    head: page({ filter, order: { id: 'ASC' }, start: 0 }),
    tail: page({ filter, select: ['id'], order: { id: 'DESC' }, start: -1 }),
  })
  const firstRows = rowsOf(head.head)
  const total = head.head?.ok ? head.head.total : firstRows.length
  const rows = new Map<number, Row>(firstRows.map(row => [Number(row.id), row]))
  if (firstRows.length < PAGE_SIZE)
    return [...rows.values()]
  const maxId = Number(rowsOf(head.tail)[0]?.id ?? 0)
  let step = idsPerPage(total, Number(firstRows[0]!.id), maxId)
  let left: IdRange[] = [{ from: Number(firstRows[firstRows.length - 1]!.id) + 1, to: maxId }].filter(range => range.from <= range.to)
  while (left.length > 0) {
    const bounds = planBounds(left, step)
    const covered: IdRange[] = []
    for (let i = 0; i < bounds.length; i += BATCH_COMMANDS) {
      const chunk = bounds.slice(i, i + BATCH_COMMANDS)
      const outcomes = await client.batch(Object.fromEntries(chunk.map(bound => [`p${bound}`, page({ filter: { ...filter, '>=id': bound }, order: { id: 'ASC' }, start: -1 })])))
      for (const bound of chunk) {
        const items = rowsOf(outcomes[`p${bound}`])
        items.forEach(item => rows.set(Number(item.id), item))
        covered.push(coveredBy(bound, items.map(item => Number(item.id))))
      }
    }
    left = subtractCovered(left, covered)
    // A stretch denser than planned left a hole: fill it with pages every 50 ids.
    step = PAGE_SIZE
  }
  return [...rows.values()].sort((a, b) => Number(a.id) - Number(b.id))
}
