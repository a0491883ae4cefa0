import type { Stage } from '../../domain/stage.ts'
import type { StatusDto } from '../crm/crm-dto.ts'
import type { PortalClient, RestCall } from '../portal-client.ts'
import type { ClientItemDto, UserDto } from './receivables-dto.ts'
import { ENTITY, optional, required } from '../batch-outcome.ts'
import { invoiceStageEntityId, stageFromDto } from '../crm/crm-mappers.ts'

const BATCH_COMMANDS = 50
const IDS_PER_COMMAND = 50

export interface NamesRequest {
  /** Pipelines whose stages are still unknown. */
  readonly categoryIds: readonly number[]
  readonly userIds: readonly number[]
  /** Most important first: what does not fit in one batch stays unnamed. */
  readonly companyIds: readonly number[]
  readonly contactIds: readonly number[]
}

export interface ReceivablesNames {
  readonly stages: readonly Stage[]
  readonly users: ReadonlyMap<number, string>
  readonly companies: ReadonlyMap<number, string>
  readonly contacts: ReadonlyMap<number, string>
}

function chunks(ids: readonly number[]): number[][] {
  const result: number[][] = []
  for (let index = 0; index < ids.length; index += IDS_PER_COMMAND)
    result.push(ids.slice(index, index + IDS_PER_COMMAND))
  return result
}

function clientsCall(entityTypeId: number, ids: readonly number[], select: readonly string[]): RestCall {
  return { method: 'crm.item.list', params: { entityTypeId, select: [...select], filter: { '@id': [...ids] }, start: -1 } }
}

/**
 * Stages of the other pipelines, managers' and clients' names, in ONE batch (nothing when nothing
 * is asked). Stages first, then users (`user.get` by ID, one each), then companies and contacts
 * 50 ids per command, as far as 50 commands go; clients beyond that keep no name (the dashboard
 * shows their number). Names are decoration: a failed name command leaves the name out.
 */
export async function loadReceivablesNames(client: PortalClient, request: NamesRequest): Promise<ReceivablesNames> {
  const calls: Record<string, RestCall> = {}
  const add = (key: string, call: RestCall) => {
    if (Object.keys(calls).length < BATCH_COMMANDS)
      calls[key] = call
  }
  for (const id of request.categoryIds)
    add(`stages${id}`, { method: 'crm.status.list', params: { filter: { ENTITY_ID: invoiceStageEntityId(id) }, order: { SORT: 'ASC' } } })
  for (const id of request.userIds)
    add(`user${id}`, { method: 'user.get', params: { ID: id } })
  chunks(request.companyIds).forEach((ids, index) => add(`companies${index}`, clientsCall(ENTITY.company, ids, ['id', 'title'])))
  chunks(request.contactIds).forEach((ids, index) => add(`contacts${index}`, clientsCall(ENTITY.contact, ids, ['id', 'name', 'lastName'])))
  const names = { stages: [] as Stage[], users: new Map<number, string>(), companies: new Map<number, string>(), contacts: new Map<number, string>() }
  if (Object.keys(calls).length === 0)
    return names
  const outcomes = await client.batch(calls)
  for (const [key, outcome] of Object.entries(outcomes)) {
    if (key.startsWith('stages'))
      names.stages.push(...required<StatusDto[]>(outcome, 'crm.status.list').map(stageFromDto))
    else if (key.startsWith('user'))
      optional<UserDto[]>(outcome, []).forEach(user => names.users.set(Number(user.ID), [user.NAME, user.LAST_NAME].filter(Boolean).join(' ') || `#${user.ID}`))
    else if (key.startsWith('companies'))
      optional<{ items: ClientItemDto[] }>(outcome, { items: [] }).items.forEach(item => names.companies.set(Number(item.id), item.title || `#${item.id}`))
    else
      optional<{ items: ClientItemDto[] }>(outcome, { items: [] }).items.forEach(item => names.contacts.set(Number(item.id), [item.name, item.lastName].filter(Boolean).join(' ') || `#${item.id}`))
  }
  return names
}
