import type { Stage } from '../../domain/stage.ts'
import type { VisibleSet } from '../../domain/receivables/incremental-refresh.ts'
import type { ProfileDto, StatusDto } from '../crm/crm-dto.ts'
import type { PortalClient, RestCall } from '../portal-client.ts'
import type { PortalUser } from '../portal-user.ts'
import type { CategoryDto, CurrencyDto, ReceivableItemDto } from './receivables-dto.ts'
import type { PortalCurrency, PortalPipeline } from './scan-invoices.ts'
import { ENTITY, required } from '../batch-outcome.ts'
import { invoiceStageEntityId, stageFromDto } from '../crm/crm-mappers.ts'
import { userFromProfile } from '../portal-user.ts'
import { invoicePage } from './scan-invoices.ts'
import { PAGE_SIZE } from './scan-plan.ts'

/** The invoices changed since a portal instant, as far as one page or a batch of pages reached. */
export interface ChangedInvoices {
  readonly rows: readonly ReceivableItemDto[]
  /** How many changed invoices the portal counted (the first page's `total`). */
  readonly total: number
}

/** The refresh request's answer: who is asking, the portal's clock, its directories and what the user may read. */
export interface RefreshCheck {
  readonly user: PortalUser
  /** `server.time` (R: api-reference/common/system/server-time.md): the next refresh's window starts here. */
  readonly portalTime: string
  readonly currencies: readonly PortalCurrency[]
  readonly baseCurrency: string
  readonly pipelines: readonly PortalPipeline[]
  /** Stages of the first invoice pipeline, read again (a stage renamed or made final shows at once). */
  readonly stages: readonly Stage[]
  readonly visible: VisibleSet
  /** The first page of invoices changed since `since`, when asked. */
  readonly changed: ChangedInvoices | null
}

/**
 * Changed since `since`: `updatedTime` or `movedTime` at or after it (`logic: 'OR'` in a nested block,
 * R: api-reference/crm/universal/crm-item-list.md «filter», example with OR logic; `datetime` as
 * `YYYY-MM-DDThh:mm:ss±hh:mm`, R: api-reference/data-types.md). Counted pages (`start` 0, 50, …) in id order.
 */
function changedPage(since: string, start: number): RestCall {
  return invoicePage({ order: { id: 'ASC' }, filter: { 0: { 'logic': 'OR', '>=updatedTime': since, '>=movedTime': since } }, start })
}

/**
 * ONE batch: the user, `server.time`, currencies, pipelines and the first pipeline's stages, what the
 * user may read now (the counted first page of ids and the highest id, `select: ['id']`), and — with
 * `since` — the first page of invoices changed since then.
 */
export async function readRefreshCheck(client: PortalClient, since: string | null): Promise<RefreshCheck> {
  const calls: Record<string, RestCall> = {
    profile: { method: 'profile' },
    now: { method: 'server.time' },
    currencies: { method: 'crm.currency.list' },
    base: { method: 'crm.currency.base.get' },
    pipelines: { method: 'crm.category.list', params: { entityTypeId: ENTITY.invoice } },
    stages: { method: 'crm.status.list', params: { filter: { ENTITY_ID: invoiceStageEntityId('$result[pipelines][categories][0][id]') }, order: { SORT: 'ASC' } } },
    ...(since ? { changed: changedPage(since, 0) } : {}),
    head: invoicePage({ select: ['id'], order: { id: 'ASC' }, start: 0 }),
    tail: invoicePage({ select: ['id'], order: { id: 'DESC' }, start: -1 }),
  }
  const answer = await client.batch(calls)
  const currencyRows = required<CurrencyDto[]>(answer.currencies, 'crm.currency.list')
  const pipelineRows = required<{ categories: CategoryDto[] }>(answer.pipelines, 'crm.category.list').categories
  const head = required<{ items: ReceivableItemDto[] }>(answer.head, 'crm.item.list').items
  const tail = required<{ items: ReceivableItemDto[] }>(answer.tail, 'crm.item.list').items
  const portalTime = required<string>(answer.now, 'server.time')
  const base = answer.base?.ok && typeof answer.base.result === 'string' && answer.base.result ? answer.base.result : null
  const changedRows = since ? required<{ items: ReceivableItemDto[] }>(answer.changed, 'crm.item.list').items : null
  return {
    user: userFromProfile(required<ProfileDto>(answer.profile, 'profile')),
    portalTime: String(portalTime),
    currencies: currencyRows.map(row => ({ code: row.CURRENCY, name: row.FULL_NAME ?? row.CURRENCY })),
    baseCurrency: base ?? currencyRows.find(row => row.BASE === 'Y')?.CURRENCY ?? 'RUB',
    pipelines: pipelineRows.map(row => ({ id: Number(row.id), name: row.name ?? String(row.id) })),
    stages: pipelineRows.length > 0 ? required<StatusDto[]>(answer.stages, 'crm.status.list').map(stageFromDto) : [],
    visible: {
      total: answer.head?.ok ? answer.head.total : head.length,
      firstIds: head.map(row => Number(row.id)),
      maxId: Number(tail[0]?.id ?? 0),
    },
    changed: changedRows ? { rows: changedRows, total: answer.changed?.ok ? answer.changed.total : changedRows.length } : null,
  }
}

/** The first page of invoices changed since `since` (one round trip). */
export async function readChangedPage(client: PortalClient, since: string): Promise<ChangedInvoices> {
  const answer = await client.batch({ changed: changedPage(since, 0) })
  const rows = required<{ items: ReceivableItemDto[] }>(answer.changed, 'crm.item.list').items
  return { rows, total: answer.changed?.ok ? answer.changed.total : rows.length }
}

/**
 * The most changed invoices a refresh reads (4 counted pages); past it a full read is cheaper. Each
 * filtered, counted page of `crm.item.list` costs about as much operating time as counting every
 * invoice (on 100,000 invoices the emulator models 10 s a page, a full keyset scan 30 s), and the
 * operating budget is the method's, shared with the reminders (R: settings/performance/limits.md).
 */
export const MAX_CHANGED_ROWS = PAGE_SIZE * 4

/**
 * The changed invoices after the first page (`first.total` counted), in ONE batch of counted pages:
 * up to `MAX_CHANGED_ROWS` in all (a batch takes 50 commands). Rows changed again meanwhile may move between pages; the caller's
 * visible-set check and the next refresh's overlap catch what that skips.
 */
export async function readChangedRest(client: PortalClient, since: string, first: ChangedInvoices): Promise<ReceivableItemDto[]> {
  const starts: number[] = []
  for (let start = PAGE_SIZE; start < Math.min(first.total, MAX_CHANGED_ROWS); start += PAGE_SIZE)
    starts.push(start)
  if (starts.length === 0)
    return [...first.rows]
  const answer = await client.batch(Object.fromEntries(starts.map(start => [`c${start}`, changedPage(since, start)])))
  return [...first.rows, ...starts.flatMap(start => required<{ items: ReceivableItemDto[] }>(answer[`c${start}`], 'crm.item.list').items)]
}
