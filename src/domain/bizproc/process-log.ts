import type { ProcessEvent } from '../settings/settings.ts'

/**
 * The timeline entry the app writes on the deal for every process it starts: users who may not
 * list workflows (non-admins) see from it what was started. Its second line is machine-read:
 * `template <id> · <document element> · workflow <id>`.
 */
export const PROCESS_LOG_TITLE = 'Invoice Desk: бизнес-процесс запущен'

/** The entry on the invoice that marks its approval process as started: the issue chain finds it there. */
export const APPROVAL_LOG_TITLE = 'Invoice Desk: счёт отправлен на согласование'

/** Why a process was started: an app event, or the approval before sending. */
export type ProcessReason = ProcessEvent | 'approval'

/**
 * The reason written, under `APPROVAL_LOG_TITLE`, when an admin stops an approval process from the
 * deal tab: a stopped approval is a refusal, and `bizproc.workflow.instances` alone cannot tell it
 * from a granted one (both are simply no longer running).
 */
export const APPROVAL_STOPPED = 'approval-stopped'

/** The entry's text; `workflowId` may be a batch reference (`$result[start0]`) the portal fills in. */
export function processLogText(name: string, templateId: number, event: ProcessReason | typeof APPROVAL_STOPPED, element: string, workflowId: string): string {
  return `«${name || `#${templateId}`}» — ${event}\ntemplate ${templateId} · ${element} · workflow ${workflowId}`
}

/** A started process as read back from the timeline. */
export interface LoggedProcess {
  readonly name: string
  readonly event: string
  readonly templateId: number
  /** `DEAL_12`, `SMART_INVOICE_3`. */
  readonly element: string
  readonly workflowId: string
}

const LINE = /^«(.*)» — (\S+)\ntemplate (\d+) · (\S+) · workflow ([0-9a-f]+\.\d+)$/

/** Reads an entry written by `processLogText`; null for anything else (or an unfilled reference). */
export function parseProcessLog(text: string): LoggedProcess | null {
  const match = LINE.exec(text)
  if (!match)
    return null
  return { name: match[1]!, event: match[2]!, templateId: Number(match[3]), element: match[4]!, workflowId: match[5]! }
}
