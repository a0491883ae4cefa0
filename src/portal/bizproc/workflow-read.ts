import type { LoggedProcess } from '../../domain/bizproc/process-log.ts'
import type { PortalClient, RestCall } from '../portal-client.ts'
import type { PortalError } from '../portal-error.ts'
import type { InstanceDto } from './workflow-dto.ts'
import type { StartLogEntry } from './workflow-start.ts'
import { parseProcessLog } from '../../domain/bizproc/process-log.ts'
import { errorOf } from '../batch-outcome.ts'
import { logRowsOf } from '../collection/collection-log.ts'

/** A workflow bizproc.workflow.instances lists, i.e. one still running. */
export interface RunningWorkflow {
  readonly id: string
  /** `DEAL_12`, `SMART_INVOICE_3`. */
  readonly element: string
  readonly templateId: number
  readonly started: string | null
  readonly startedBy: number | null
}

/** What the timeline of one record says was started (entries with `title`), and what runs on the given documents. */
export interface WorkflowReading {
  /** Newest first; null when the timeline could not be read. */
  readonly logged: readonly LoggedProcess[] | null
  /** Running workflows on the documents; null when the portal refused (`runningError` says why, ACCESS_DENIED for non-admins). */
  readonly running: readonly RunningWorkflow[] | null
  readonly runningError: PortalError | null
}

/** Where to look: the record whose timeline holds the entries, how many pages of 10, and the documents to list workflows of. */
export interface WorkflowQuery {
  readonly logOn: { readonly entityTypeId: number, readonly entityId: number }
  readonly titles: readonly string[]
  /** Timeline pages of 10 to read, newest first (default 1). */
  readonly logPages?: number
  /** Which end of the timeline to read: newest first (default) or oldest first (a marker written right after creation). */
  readonly logOrder?: 'asc' | 'desc'
  /** Element ids (`DEAL_12`): one bizproc.workflow.instances filtered by DOCUMENT_ID each. */
  readonly elements: readonly string[]
}

const INSTANCE_SELECT = ['ID', 'DOCUMENT_ID', 'TEMPLATE_ID', 'STARTED', 'STARTED_BY']

function runningOf(dto: InstanceDto): RunningWorkflow {
  return {
    id: String(dto.ID),
    element: String(dto.DOCUMENT_ID ?? ''),
    templateId: Number(dto.TEMPLATE_ID ?? 0),
    started: dto.STARTED ?? null,
    startedBy: dto.STARTED_BY === null || dto.STARTED_BY === undefined ? null : Number(dto.STARTED_BY),
  }
}

/**
 * ONE round trip: the record's timeline (pages of 10, newest first) and the running workflows of
 * each document (bizproc.workflow.instances, admins only; at most 50 per document).
 */
export async function readWorkflows(client: PortalClient, query: WorkflowQuery): Promise<WorkflowReading> {
  const calls: Record<string, RestCall> = {}
  const pages = query.logPages ?? 1
  for (let page = 0; page < pages; page++)
    calls[`log${page}`] = { method: 'crm.timeline.logmessage.list', params: { entityTypeId: query.logOn.entityTypeId, entityId: query.logOn.entityId, order: { id: query.logOrder ?? 'desc' }, start: page * 10 } }
  query.elements.forEach((element, index) => {
    calls[`running${index}`] = { method: 'bizproc.workflow.instances', params: { SELECT: INSTANCE_SELECT, FILTER: { DOCUMENT_ID: element }, ORDER: { STARTED: 'desc' } } }
  })
  const outcomes = await client.batch(calls)
  const logPages = Array.from({ length: pages }, (_, page) => outcomes[`log${page}`])
  const logged = logPages.every(outcome => outcome?.ok)
    ? logPages.flatMap(outcome => logRowsOf(outcome))
        .filter(entry => query.titles.includes(entry.title))
        .map(entry => parseProcessLog(entry.text))
        .filter((entry): entry is LoggedProcess => entry !== null)
    : null
  const runningError = query.elements.map((_, index) => errorOf(outcomes[`running${index}`], 'bizproc.workflow.instances')).find(Boolean) ?? null
  const running = runningError
    ? null
    : query.elements.flatMap((_, index) => {
        const outcome = outcomes[`running${index}`]
        return outcome?.ok && Array.isArray(outcome.result) ? (outcome.result as InstanceDto[]).map(runningOf) : []
      })
  return { logged, running, runningError }
}

/** Stops a running workflow (`bizproc.workflow.terminate`, admins only); its data stays. One round trip. */
export async function terminateWorkflow(client: PortalClient, workflowId: string, statusText: string, markers: readonly StartLogEntry[] = []): Promise<void> {
  if (markers.length === 0) {
    await client.call<boolean>('bizproc.workflow.terminate', { ID: workflowId, STATUS: statusText })
    return
  }
  // Halted: the markers say "stopped" only once the portal has stopped it.
  const calls: Record<string, RestCall> = { stop: { method: 'bizproc.workflow.terminate', params: { ID: workflowId, STATUS: statusText } } }
  markers.forEach((marker, index) => {
    calls[`marker${index}`] = { method: 'crm.timeline.logmessage.add', params: { fields: { entityTypeId: marker.entityTypeId, entityId: marker.entityId, title: marker.title, text: marker.text, iconCode: 'info' } } }
  })
  const outcomes = await client.batch(calls, { haltOnError: true })
  const failed = Object.values(outcomes).find(outcome => !outcome.ok)
  if (failed && !failed.ok)
    throw failed.error
}
