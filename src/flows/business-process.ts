import type { BizprocDocumentId } from '../domain/bizproc/process-document.ts'
import type { LoggedProcess, ProcessReason } from '../domain/bizproc/process-log.ts'
import type { ProcessTarget } from '../domain/bizproc/process-plan.ts'
import type { ApprovalSettings, InvoiceDeskSettings, ProcessEvent, ProcessStart } from '../domain/settings/settings.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { RunningWorkflow } from '../portal/bizproc/workflow-read.ts'
import type { StartLogEntry, WorkflowStartRequest } from '../portal/bizproc/workflow-start.ts'
import { bizprocDocumentId, documentElement, parseDocumentElement } from '../domain/bizproc/process-document.ts'
import { APPROVAL_LOG_TITLE, APPROVAL_STOPPED, PROCESS_LOG_TITLE, processLogText } from '../domain/bizproc/process-log.ts'
import { planEventProcesses } from '../domain/bizproc/process-plan.ts'
import { readWorkflows, terminateWorkflow } from '../portal/bizproc/workflow-read.ts'
import { startWorkflows } from '../portal/bizproc/workflow-start.ts'
import { PortalError, toPortalError } from '../portal/portal-error.ts'

export type { ProcessTarget } from '../domain/bizproc/process-plan.ts'

/** What became of one configured process or trigger. `needs-admin`: the portal refused the user's rights; the user's own action is unaffected. */
export type ProcessOutcome
  = | { readonly kind: 'process', readonly start: ProcessStart, readonly documentId: BizprocDocumentId, readonly status: 'started', readonly workflowId: string }
    | { readonly kind: 'process', readonly start: ProcessStart, readonly documentId: BizprocDocumentId | null, readonly status: 'needs-admin' | 'failed', readonly error: PortalError }
    | { readonly kind: 'trigger', readonly code: string, readonly status: 'fired' }
    | { readonly kind: 'trigger', readonly code: string, readonly status: 'needs-admin' | 'failed', readonly error: PortalError | null }

/** How processes are started. */
export interface ProcessEnvironment {
  /** Whether the acting user is a portal admin: app triggers fire only in an admin's app context, so for others the call is skipped (`needs-admin`). Default false. */
  readonly isAdmin?: boolean
  /** Fire the event's app trigger in the same batch. Default true; the issue chain fires `sent`'s in its follow-up batch instead. */
  readonly fireTrigger?: boolean
}

/** Codes with which the portal refuses a call for the user's rights or the auth type, not for the data. */
const RIGHTS_CODES: ReadonlySet<string> = new Set(['ACCESS_DENIED', 'WRONG_AUTH_TYPE', 'INVALID_CREDENTIALS', 'insufficient_scope'])
const refusal = (error: PortalError): 'needs-admin' | 'failed' => (RIGHTS_CODES.has(error.code) ? 'needs-admin' : 'failed')

/** The code a start refused to an administrator gets: REST starts processes "only on paid plans, demo licenses, and NFR licenses". */
export const BIZPROC_PLAN_RESTRICTED = 'BIZPROC_PLAN_RESTRICTED'

/**
 * A start the portal refused to an ADMINISTRATOR with ACCESS_DENIED: not a question of rights, so of
 * the plan (R: api-reference/bizproc/bizproc-workflow-start.md names no separate error for it; the
 * portal's words are kept). For other users the refusal is read as rights (`needs-admin`).
 */
function startRefusal(error: PortalError, isAdmin: boolean): { status: 'needs-admin' | 'failed', error: PortalError } {
  if (isAdmin && error.code === 'ACCESS_DENIED')
    return { status: 'failed', error: new PortalError(error.method, BIZPROC_PLAN_RESTRICTED, error.message, error.status, false) }
  return { status: refusal(error), error }
}

/** The deal's timeline records every start (the invoice's when there is no deal), for users who may not list workflows. */
function startLog(target: ProcessTarget, start: ProcessStart, reason: ProcessReason, documentId: BizprocDocumentId): StartLogEntry[] {
  const on = target.dealId === null ? { entityTypeId: 31 as const, entityId: target.invoiceId! } : { entityTypeId: 2 as const, entityId: target.dealId }
  return [{ ...on, title: PROCESS_LOG_TITLE, text: processLogText(start.name, start.templateId, reason, documentId[2], '{workflowId}') }]
}

/**
 * Starts what the settings attach to `event` for the deal and/or invoice in `target`: every
 * configured business process (`bizproc.workflow.start` on the deal or the smart invoice, as the
 * template's document type says, each recorded in the deal's timeline) and the event's app trigger
 * on the invoice — all in ONE batched round trip, none when nothing is configured. Never throws and
 * never retries: each process or trigger gets an outcome (`started`/`fired`, `needs-admin`, `failed`),
 * so the caller's own action (issue, payment, reminder) always completes and can show them as warnings.
 */
export async function startProcesses(portal: PortalClient, event: ProcessEvent, target: ProcessTarget, settings: InvoiceDeskSettings, env: ProcessEnvironment = {}): Promise<ProcessOutcome[]> {
  const plan = planEventProcesses(event, target, settings.processes)
  const code = env.fireTrigger === false ? null : plan.triggerCode
  const noDocument: ProcessOutcome[] = plan.noDocument.map(start => ({ kind: 'process', start, documentId: null, status: 'failed', error: new PortalError('bizproc.workflow.start', 'NO_DOCUMENT', `No ${start.document} to start the process on`, 0, true) }))
  const skippedTrigger: ProcessOutcome[] = code !== null && !env.isAdmin ? [{ kind: 'trigger', code, status: 'needs-admin', error: null }] : []
  const requests: WorkflowStartRequest[] = plan.starts.map(({ start, documentId }) => ({ templateId: start.templateId, documentId, parameters: start.parameters, logs: startLog(target, start, event, documentId) }))
  const trigger = code !== null && env.isAdmin && target.invoiceId !== null ? { code, invoiceId: target.invoiceId } : null
  if (requests.length === 0 && !trigger)
    return [...noDocument, ...skippedTrigger]
  try {
    const batch = await startWorkflows(portal, requests, trigger)
    const started = plan.starts.map(({ start, documentId }, index): ProcessOutcome => {
      const result = batch.starts[index]!
      return result.ok ? { kind: 'process', start, documentId, status: 'started', workflowId: result.workflowId } : { kind: 'process', start, documentId, ...startRefusal(result.error, env.isAdmin ?? false) }
    })
    const fired: ProcessOutcome[] = trigger ? [batch.triggerError ? { kind: 'trigger', code: trigger.code, status: refusal(batch.triggerError), error: batch.triggerError } : { kind: 'trigger', code: trigger.code, status: 'fired' }] : []
    return [...started, ...noDocument, ...fired, ...skippedTrigger]
  }
  catch (caught) {
    const error = toPortalError('batch', caught, false)
    const failed = plan.starts.map(({ start, documentId }): ProcessOutcome => ({ kind: 'process', start, documentId, status: 'failed', error }))
    return [...failed, ...noDocument, ...(trigger ? [{ kind: 'trigger', code: trigger.code, status: 'failed', error } as const] : []), ...skippedTrigger]
  }
}

/** Outcomes that did not go as configured: what a caller shows as warnings. */
export function unfinishedOutcomes(outcomes: readonly ProcessOutcome[]): ProcessOutcome[] {
  return outcomes.filter(outcome => outcome.status !== 'started' && outcome.status !== 'fired')
}

/** Where the B2B approval of one invoice stands. */
export type ApprovalState
  = | { readonly status: 'approved' }
  /** An admin stopped the approval process from the deal tab: a refusal; the invoice must not go out. */
    | { readonly status: 'rejected', readonly workflowId: string }
  /** Started and still running (`checkable`), or started but only an admin can see whether it still runs. */
    | { readonly status: 'waiting', readonly workflowId: string, readonly checkable: boolean }
  /** The approval process could not be started: the invoice must not go out. */
    | { readonly status: 'not-started', readonly error: PortalError, readonly needsAdmin: boolean }

async function startApproval(portal: PortalClient, target: { dealId: number, invoiceId: number }, approval: ApprovalSettings): Promise<ApprovalState> {
  const start: ProcessStart = { templateId: approval.templateId!, document: approval.document, name: approval.name, parameters: {} }
  const documentId = bizprocDocumentId(approval.document, approval.document === 'deal' ? target.dealId : target.invoiceId)
  const marker = { entityTypeId: 31 as const, entityId: target.invoiceId, title: APPROVAL_LOG_TITLE, text: processLogText(approval.name, start.templateId, 'approval', documentId[2], '{workflowId}') }
  const request: WorkflowStartRequest = { templateId: start.templateId, documentId, parameters: {}, logs: [marker, ...startLog(target, start, 'approval', documentId)] }
  const result = (await startWorkflows(portal, [request], null)).starts[0]!
  if (result.ok)
    return { status: 'waiting', workflowId: result.workflowId, checkable: true }
  return { status: 'not-started', error: result.error, needsAdmin: refusal(result.error) === 'needs-admin' }
}

/**
 * The approval gate of the issue chain, for an invoice that needs approval (`needsApproval`). An
 * invoice created in this run (`fresh`) gets its approval process started (ONE round trip: the start
 * and its timeline marker on the invoice). Otherwise ONE round trip reads the invoice's marker and the
 * running workflows of the approval document: not started yet → start it (a second round trip);
 * stopped from the deal tab (`stopProcess` left its marker) → rejected; still listed by
 * bizproc.workflow.instances → waiting; no longer listed → approved. Non-admins cannot
 * list workflows: the invoice then keeps waiting until an admin continues. Throws `PortalError` when
 * the marker cannot be read (then nobody can tell whether the approval was started).
 */
export async function requestApproval(portal: PortalClient, target: { dealId: number, invoiceId: number }, approval: ApprovalSettings, fresh: boolean): Promise<ApprovalState> {
  if (approval.templateId === null)
    return { status: 'approved' }
  if (fresh)
    return startApproval(portal, target, approval)
  const element = documentElement(approval.document, approval.document === 'deal' ? target.dealId : target.invoiceId)
  // The marker is written right after the invoice was created: among its OLDEST entries, whatever reminders and payments follow.
  const reading = await readWorkflows(portal, { logOn: { entityTypeId: 31, entityId: target.invoiceId }, titles: [APPROVAL_LOG_TITLE], logPages: 2, logOrder: 'asc', elements: [element] })
  if (reading.logged === null)
    throw new PortalError('crm.timeline.logmessage.list', 'APPROVAL_UNKNOWN', 'The invoice timeline could not be read', 0, true)
  const marker = reading.logged.find(entry => entry.templateId === approval.templateId && entry.element === element)
  if (!marker)
    return startApproval(portal, target, approval)
  if (reading.logged.some(entry => entry.event === APPROVAL_STOPPED && entry.workflowId === marker.workflowId))
    return { status: 'rejected', workflowId: marker.workflowId }
  if (reading.running === null)
    return { status: 'waiting', workflowId: marker.workflowId, checkable: false }
  return reading.running.some(workflow => workflow.id === marker.workflowId) ? { status: 'waiting', workflowId: marker.workflowId, checkable: true } : { status: 'approved' }
}

/** One process the app started for a deal or its invoices, as the deal tab lists it. */
export interface DealProcess {
  readonly workflowId: string
  readonly name: string
  /** The event that started it (`sent` …) or `approval`. */
  readonly reason: string
  readonly templateId: number
  readonly document: { readonly type: 'deal' | 'invoice', readonly id: number } | null
  /** `running`/`finished` from bizproc.workflow.instances; `unknown` when the user may not list workflows. */
  readonly state: 'running' | 'finished' | 'unknown'
  readonly started: string | null
}

/** The deal's processes: what the app recorded, with their state when the user may see it. */
export interface DealProcesses {
  readonly processes: readonly DealProcess[]
  /** False for non-admins (bizproc.workflow.instances is for administrators): the states are unknown. */
  readonly statesKnown: boolean
}

function dealProcessOf(logged: LoggedProcess, running: readonly RunningWorkflow[] | null): DealProcess {
  const live = running?.find(workflow => workflow.id === logged.workflowId)
  return {
    workflowId: logged.workflowId,
    name: logged.name,
    reason: logged.event,
    templateId: logged.templateId,
    document: parseDocumentElement(logged.element),
    state: running === null ? 'unknown' : live ? 'running' : 'finished',
    started: live?.started ?? null,
  }
}

/**
 * ONE round trip, after the deal tab's list: the processes the app recorded in the deal's timeline
 * (the newest 50 entries) and, for admins, which of them still run (bizproc.workflow.instances on the
 * deal and on each of `invoiceIds`, at most 48 invoices). Non-admins get the recorded list with
 * unknown states. Throws `PortalError` when the timeline cannot be read.
 */
export async function loadDealProcesses(portal: PortalClient, dealId: number, invoiceIds: readonly number[]): Promise<DealProcesses> {
  const elements = [documentElement('deal', dealId), ...invoiceIds.slice(0, 48).map(id => documentElement('invoice', id))]
  const reading = await readWorkflows(portal, { logOn: { entityTypeId: 2, entityId: dealId }, titles: [PROCESS_LOG_TITLE], logPages: 5, elements })
  if (reading.logged === null)
    throw new PortalError('crm.timeline.logmessage.list', 'TIMELINE_UNREADABLE', 'The deal timeline could not be read', 0, true)
  const seen = new Set<string>()
  const processes = reading.logged.filter(entry => !seen.has(entry.workflowId) && Boolean(seen.add(entry.workflowId))).map(entry => dealProcessOf(entry, reading.running))
  return { processes, statesKnown: reading.running !== null }
}

/**
 * Stops a running process (admins only; `bizproc.workflow.terminate`, its data kept). Stopping an
 * approval is refusing it: in the same halted round trip each of the deal's `invoiceIds` gets the
 * marker the issue chain reads (`APPROVAL_STOPPED` for that workflow), so the invoice is never
 * e-mailed as if it had been approved. Throws `PortalError`.
 */
export async function stopProcess(portal: PortalClient, process: Pick<DealProcess, 'workflowId' | 'reason' | 'name' | 'templateId' | 'document'>, statusText: string, invoiceIds: readonly number[] = []): Promise<void> {
  const element = process.document ? documentElement(process.document.type, process.document.id) : ''
  const markers = process.reason !== 'approval'
    ? []
    : invoiceIds.map(invoiceId => ({ entityTypeId: 31 as const, entityId: invoiceId, title: APPROVAL_LOG_TITLE, text: processLogText(process.name, process.templateId, APPROVAL_STOPPED, element, process.workflowId) }))
  await terminateWorkflow(portal, process.workflowId, statusText, markers)
}
