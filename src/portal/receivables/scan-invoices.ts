import type { Stage } from '../../domain/stage.ts'
import type { ProfileDto, StatusDto } from '../crm/crm-dto.ts'
import type { PortalClient, RestCall } from '../portal-client.ts'
import type { PortalUser } from '../portal-user.ts'
import type { IdRange } from './scan-plan.ts'
import type { CategoryDto, CurrencyDto, ReceivableItemDto } from './receivables-dto.ts'
import { ENTITY, required } from '../batch-outcome.ts'
import { invoiceStageEntityId, stageFromDto } from '../crm/crm-mappers.ts'
import { userFromProfile } from '../portal-user.ts'
import { RECEIVABLE_SELECT } from './receivables-dto.ts'
import { coveredBy, idsPerPage, PAGE_SIZE, planBounds, subtractCovered } from './scan-plan.ts'

/** Bitrix24 runs at most 50 commands in one batch. */
const BATCH_COMMANDS = 50

export interface ScanProgress {
  /** Invoices read so far. */
  readonly loaded: number
  /** Invoices the user may see, as the portal counted them at the start. */
  readonly total: number
}

export interface PortalCurrency {
  readonly code: string
  readonly name: string
}

export interface PortalPipeline {
  readonly id: number
  readonly name: string
}

/** Every invoice the user may see, plus the directories read in the same first request. */
export interface InvoiceScan {
  /** Raw rows, ordered by id. */
  readonly rows: readonly ReceivableItemDto[]
  readonly total: number
  readonly user: PortalUser
  readonly currencies: readonly PortalCurrency[]
  /** `crm.currency.base.get`, or the currency flagged BASE, or RUB. */
  readonly baseCurrency: string
  readonly pipelines: readonly PortalPipeline[]
  /** Stages of the first invoice pipeline (the others' come with the names, see `loadReceivablesNames`). */
  readonly stages: readonly Stage[]
  /**
   * The portal's clock when the scan began (`server.time`, R: api-reference/common/system/server-time.md):
   * every change after it has a later `updatedTime`; null when the portal did not answer it.
   */
  readonly portalTime: string | null
}

export interface ScanOptions {
  readonly onProgress?: (progress: ScanProgress) => void
  /**
   * Batches in flight at once. The SDK queues requests under the portal's rate limit (2 per second
   * after a burst of 50); two keep the line busy without piling up.
   * @defaultValue 2
   */
  readonly inFlight?: number
}

/** A `crm.item.list` command for smart invoices with the dashboard's fields. */
export function invoicePage(params: Record<string, unknown>): RestCall {
  return { method: 'crm.item.list', params: { entityTypeId: ENTITY.invoice, select: [...RECEIVABLE_SELECT], ...params } }
}

/** A keyset page: the first 50 invoices with id ≥ `bound` (R: settings/performance/huge-data.md, `start = -1` skips the count). */
function keysetPage(bound: number): RestCall {
  return invoicePage({ order: { id: 'ASC' }, filter: { '>=id': bound }, start: -1 })
}

/**
 * Reads all invoices the user may see in ⌈N/2500⌉ + 1 HTTP requests for N invoices with dense ids.
 *
 * 1. One batch: the user, currencies, pipelines, the first pipeline's stages, the first 50 invoices
 *    with `total` (`start = 0`: the only counted page) and the highest id (`order id DESC`, `start = -1`).
 * 2. Batches of 50 keyset pages (`scan-plan.ts`), `inFlight` at a time: up to 2,500 invoices each.
 *
 * The SDK's plain `callList`/`fetchList` would need ⌈N/50⌉ sequential requests for the same rows
 * (2,000 for 100,000 invoices: over 16 minutes at the cloud's 2 requests per second).
 */
export async function scanInvoices(client: PortalClient, options: ScanOptions = {}): Promise<InvoiceScan> {
  const first = await client.batch({
    profile: { method: 'profile' },
    now: { method: 'server.time' },
    currencies: { method: 'crm.currency.list' },
    base: { method: 'crm.currency.base.get' },
    pipelines: { method: 'crm.category.list', params: { entityTypeId: ENTITY.invoice } },
    stages: { method: 'crm.status.list', params: { filter: { ENTITY_ID: invoiceStageEntityId('$result[pipelines][categories][0][id]') }, order: { SORT: 'ASC' } } },
    head: invoicePage({ order: { id: 'ASC' }, start: 0 }),
    tail: invoicePage({ select: ['id'], order: { id: 'DESC' }, start: -1 }),
  })
  const currencyRows = required<CurrencyDto[]>(first.currencies, 'crm.currency.list')
  const pipelineRows = required<{ categories: CategoryDto[] }>(first.pipelines, 'crm.category.list').categories
  const head = required<{ items: ReceivableItemDto[] }>(first.head, 'crm.item.list').items
  const total = first.head?.ok ? first.head.total : head.length
  const maxId = Number(required<{ items: ReceivableItemDto[] }>(first.tail, 'crm.item.list').items[0]?.id ?? 0)
  const base = first.base?.ok && typeof first.base.result === 'string' && first.base.result ? first.base.result : null
  const rows = new Map<number, ReceivableItemDto>(head.map(row => [Number(row.id), row]))
  options.onProgress?.({ loaded: rows.size, total })
  if (head.length === PAGE_SIZE) {
    const minId = Number(head[0]!.id)
    await scanRanges(client, [{ from: Number(head[head.length - 1]!.id) + 1, to: maxId }], idsPerPage(total, minId, maxId), rows, total, options)
  }
  return {
    rows: [...rows.values()].sort((a, b) => Number(a.id) - Number(b.id)),
    total,
    user: userFromProfile(required<ProfileDto>(first.profile, 'profile')),
    currencies: currencyRows.map(row => ({ code: row.CURRENCY, name: row.FULL_NAME ?? row.CURRENCY })),
    baseCurrency: base ?? currencyRows.find(row => row.BASE === 'Y')?.CURRENCY ?? 'RUB',
    pipelines: pipelineRows.map(row => ({ id: Number(row.id), name: row.name ?? String(row.id) })),
    // Without pipelines the reference cannot resolve and the stage command fails: nothing to classify.
    stages: pipelineRows.length > 0 ? required<StatusDto[]>(first.stages, 'crm.status.list').map(stageFromDto) : [],
    portalTime: first.now?.ok && typeof first.now.result === 'string' ? first.now.result : null,
  }
}

/** Rounds of batched keyset pages until every id in `ranges` is covered. */
async function scanRanges(client: PortalClient, ranges: IdRange[], step: number, rows: Map<number, ReceivableItemDto>, total: number, options: ScanOptions): Promise<void> {
  let left = ranges.filter(range => range.from <= range.to)
  while (left.length > 0) {
    const bounds = planBounds(left, step)
    const covered: IdRange[] = []
    const batches: number[][] = []
    for (let index = 0; index < bounds.length; index += BATCH_COMMANDS)
      batches.push(bounds.slice(index, index + BATCH_COMMANDS))
    await runPool(batches, options.inFlight ?? 2, async (batchBounds) => {
      const outcomes = await client.batch(Object.fromEntries(batchBounds.map(bound => [`p${bound}`, keysetPage(bound)])))
      for (const bound of batchBounds) {
        const items = required<{ items: ReceivableItemDto[] }>(outcomes[`p${bound}`], 'crm.item.list').items
        for (const item of items)
          rows.set(Number(item.id), item)
        covered.push(coveredBy(bound, items.map(item => Number(item.id))))
      }
      options.onProgress?.({ loaded: Math.min(rows.size, total), total })
    })
    left = subtractCovered(left, covered)
    // Holes are stretches denser than planned: plan them with pages every 50 ids.
    step = PAGE_SIZE
  }
}

/** Runs `work` over `items` with at most `limit` running at once; the first failure rejects. */
async function runPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length)
      await work(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
