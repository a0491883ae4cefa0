/**
 * Business processes of the emulated portal (R: api-reference/bizproc/*): workflow templates and the
 * workflows started from them. Kept on the portal state (`state.bizproc`), created on first use with
 * the demo templates every data set shares, so a reset (a new state) starts with no workflows.
 *
 * How a started workflow behaves is the template's `behaviour` (emulator only, never returned):
 * `completes` finishes at once (a real template of notifications and field changes does too), so it
 * is never listed by bizproc.workflow.instances; `waits-for-approval` stays running until someone
 * grants the approval (`POST /emulator/bizproc/approve`, the host page's «Согласовать» button) or an
 * admin terminates it.
 */
import { formatPortalDateTime } from '../core/portal-time.ts'
import { addJournalEntry, type PortalState } from './portal-state.ts'

/** Document entities the CRM offers business processes on (R: bizproc-workflow-template-list.md, ENTITY). */
export const BIZPROC_ENTITIES = {
  deal: 'CCrmDocumentDeal',
  lead: 'CCrmDocumentLead',
  contact: 'CCrmDocumentContact',
  company: 'CCrmDocumentCompany',
  invoice: 'Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice',
} as const

export type WorkflowBehaviour = 'completes' | 'waits-for-approval'

/** A bizproc.workflow.template.list row (UPPER_CASE as the portal returns it) plus the emulator's behaviour. */
export interface WorkflowTemplate {
  ID: number
  MODULE_ID: string
  ENTITY: string
  /** `DEAL`, `SMART_INVOICE`, `DYNAMIC_XXX` … */
  DOCUMENT_TYPE: string
  AUTO_EXECUTE: number
  NAME: string
  TEMPLATE: unknown[]
  PARAMETERS: Record<string, unknown>
  VARIABLES: Record<string, unknown>
  CONSTANTS: Record<string, unknown>
  MODIFIED: string
  IS_MODIFIED: 'Y' | 'N'
  USER_ID: number
  SYSTEM_CODE: string | null
  behaviour: WorkflowBehaviour
}

export type WorkflowStatus = 'running' | 'completed' | 'terminated'

/** A started workflow. bizproc.workflow.instances lists the running ones only. */
export interface WorkflowInstance {
  ID: string
  MODULE_ID: string
  ENTITY: string
  /** The element part of DOCUMENT_ID, e.g. `DEAL_12`, `SMART_INVOICE_3`. */
  DOCUMENT_ID: string
  TEMPLATE_ID: number
  STARTED: string
  STARTED_BY: number
  MODIFIED: string
  OWNED_UNTIL: string | null
  status: WorkflowStatus
  parameters: Record<string, unknown>
}

export interface BizprocState {
  templates: WorkflowTemplate[]
  instances: WorkflowInstance[]
  nextTemplateId: number
  /** Feeds the workflow ids. */
  started: number
}

function template(id: number, entity: string, documentType: string, name: string, behaviour: WorkflowBehaviour, parameters: Record<string, unknown>, modified: string): WorkflowTemplate {
  return {
    ID: id,
    MODULE_ID: 'crm',
    ENTITY: entity,
    DOCUMENT_TYPE: documentType,
    AUTO_EXECUTE: 0,
    NAME: name,
    TEMPLATE: [{ Type: 'SequentialWorkflowActivity', Name: 'Template', Children: [] }],
    PARAMETERS: parameters,
    VARIABLES: {},
    CONSTANTS: {},
    MODIFIED: modified,
    IS_MODIFIED: 'N',
    USER_ID: 1,
    SYSTEM_CODE: null,
    behaviour,
  }
}

/** The demo templates: an approval that waits, closing documents after payment, a payment check on invoices, a lead one. */
export function demoWorkflowTemplates(now: number): WorkflowTemplate[] {
  const modified = formatPortalDateTime(now - 30 * 86_400_000)
  const approver = { Name: 'Согласующий', Description: '', Type: 'user', Required: '0', Multiple: '0', Default: 'user_1' }
  const comment = { Name: 'Комментарий', Description: '', Type: 'text', Required: '0', Multiple: '0', Default: '' }
  return [
    template(1, BIZPROC_ENTITIES.deal, 'DEAL', 'Согласование счёта', 'waits-for-approval', { Approver: approver, Comment: comment }, modified),
    template(2, BIZPROC_ENTITIES.deal, 'DEAL', 'Закрывающие документы после оплаты', 'completes', { Comment: comment }, modified),
    template(3, BIZPROC_ENTITIES.invoice, 'SMART_INVOICE', 'Контроль оплаты', 'completes', {}, modified),
    template(4, BIZPROC_ENTITIES.lead, 'LEAD', 'Квалификация лида', 'completes', {}, modified),
  ]
}

/** The portal's business processes, created on first use (`now`, the emulator clock, dates the demo templates). */
export function bizproc(state: PortalState, now = 0): BizprocState {
  if (!state.bizproc) {
    state.bizproc = { templates: demoWorkflowTemplates(now), instances: [], nextTemplateId: 5, started: 0 }
  }
  return state.bizproc
}

/** A `uniqid('', true)`-like id, as the portal gives: 14 hex digits, a dot, 8 digits (e.g. `66e81a641752f8.56521481`). */
export function nextWorkflowId(store: BizprocState, now: number): string {
  store.started += 1
  const seconds = Math.floor(now / 1000).toString(16).padStart(8, '0')
  const micro = ((now % 1000) * 1000 + store.started).toString(16).padStart(6, '0').slice(-6)
  const tail = String((store.started * 48_271) % 100_000_000).padStart(8, '0')
  return `${seconds}${micro}.${tail}`
}

/** Writes a `workflows` journal entry about one workflow. */
export function journalWorkflow(state: PortalState, now: number, instance: WorkflowInstance, title: string, extra: Record<string, unknown>): void {
  const found = bizproc(state).templates.find(entry => entry.ID === instance.TEMPLATE_ID)
  addJournalEntry(state, new Date(now).toISOString(), 'workflows', title, {
    workflowId: instance.ID,
    templateId: instance.TEMPLATE_ID,
    templateName: found?.NAME ?? '',
    documentId: [instance.MODULE_ID, instance.ENTITY, instance.DOCUMENT_ID],
    status: instance.status,
    waitsForApproval: instance.status === 'running' && found?.behaviour === 'waits-for-approval',
    ...extra,
  })
}

export type ApproveOutcome = { ok: true, instance: WorkflowInstance } | { ok: false, status: number, error: string, description: string }

/** Grants the approval a running `waits-for-approval` workflow waits for: it completes (no longer listed by instances). */
export function approveWorkflow(state: PortalState, now: number, workflowId: string, userId: number): ApproveOutcome {
  const instance = bizproc(state).instances.find(entry => entry.ID === workflowId)
  if (!instance)
    return { ok: false, status: 404, error: 'NOT_FOUND', description: `Workflow ${workflowId} not found` }
  if (instance.status !== 'running')
    return { ok: false, status: 409, error: 'NOT_RUNNING', description: `Workflow ${workflowId} is ${instance.status}` }
  instance.status = 'completed'
  instance.MODIFIED = formatPortalDateTime(now)
  const name = bizproc(state).templates.find(entry => entry.ID === instance.TEMPLATE_ID)?.NAME ?? ''
  journalWorkflow(state, now, instance, `${name}: согласовано`, { method: 'approve', userId })
  return { ok: true, instance }
}
