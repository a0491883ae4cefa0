import type { BizprocDocumentId } from '../../domain/bizproc/process-document.ts'
import type { PortalClient, RestCall } from '../portal-client.ts'
import type { PortalError } from '../portal-error.ts'
import { ENTITY, errorOf } from '../batch-outcome.ts'

/** A timeline entry written next to a start; `{workflowId}` in its text becomes the started workflow's id. */
export interface StartLogEntry {
  readonly entityTypeId: 2 | 31
  readonly entityId: number
  readonly title: string
  readonly text: string
}

/** One `bizproc.workflow.start` and the timeline entries that record it. */
export interface WorkflowStartRequest {
  readonly templateId: number
  readonly documentId: BizprocDocumentId
  readonly parameters: Readonly<Record<string, string>>
  readonly logs: readonly StartLogEntry[]
}

export type WorkflowStartResult = { readonly ok: true, readonly workflowId: string } | { readonly ok: false, readonly error: PortalError }

/** What one batch of starts did: each start in order, and the trigger (null = fired or not asked). */
export interface WorkflowStartBatch {
  readonly starts: readonly WorkflowStartResult[]
  readonly triggerError: PortalError | null
}

/** An app trigger fired on a smart invoice. */
export interface TriggerRequest {
  readonly code: string
  readonly invoiceId: number
}

function startCalls(request: WorkflowStartRequest, index: number): Record<string, RestCall> {
  const key = `start${index}`
  const calls: Record<string, RestCall> = {
    [key]: { method: 'bizproc.workflow.start', params: { TEMPLATE_ID: request.templateId, DOCUMENT_ID: [...request.documentId], PARAMETERS: { ...request.parameters } } },
  }
  request.logs.forEach((log, logIndex) => {
    // A reference to a failed start cannot be filled: the portal refuses the entry, so nothing false is recorded.
    const text = log.text.replace('{workflowId}', `$result[${key}]`)
    calls[`${key}log${logIndex}`] = { method: 'crm.timeline.logmessage.add', params: { fields: { entityTypeId: log.entityTypeId, entityId: log.entityId, title: log.title, text, iconCode: 'info' } } }
  })
  return calls
}

/**
 * ONE round trip without `halt`: every start (with its timeline entries) and the trigger run once,
 * each failure reported, nothing retried (a second start would run the process twice).
 */
export async function startWorkflows(client: PortalClient, requests: readonly WorkflowStartRequest[], trigger: TriggerRequest | null): Promise<WorkflowStartBatch> {
  const calls: Record<string, RestCall> = Object.assign({}, ...requests.map(startCalls))
  if (trigger)
    calls.trigger = { method: 'crm.automation.trigger.execute', params: { CODE: trigger.code, OWNER_TYPE_ID: ENTITY.invoice, OWNER_ID: trigger.invoiceId } }
  if (Object.keys(calls).length === 0)
    return { starts: [], triggerError: null }
  const outcomes = await client.batch(calls)
  const starts = requests.map((_request, index): WorkflowStartResult => {
    const outcome = outcomes[`start${index}`]
    const error = errorOf(outcome, 'bizproc.workflow.start')
    return error || !outcome?.ok ? { ok: false, error: error! } : { ok: true, workflowId: String(outcome.result) }
  })
  return { starts, triggerError: trigger ? errorOf(outcomes.trigger, 'crm.automation.trigger.execute') : null }
}
