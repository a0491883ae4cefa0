import type { ProcessDocumentType, ProcessEvent, ProcessSettings, ProcessStart } from '../settings/settings.ts'
import type { BizprocDocumentId } from './process-document.ts'
import { bizprocDocumentId } from './process-document.ts'

/** The records an event happened to; either may be unknown (an invoice without a deal). */
export interface ProcessTarget {
  readonly dealId: number | null
  readonly invoiceId: number | null
}

/** One process to start, with its `DOCUMENT_ID`. */
export interface PlannedStart {
  readonly start: ProcessStart
  readonly documentId: BizprocDocumentId
}

/** What an event starts: processes with their documents, those with no document to run on, and the trigger. */
export interface EventPlan {
  readonly event: ProcessEvent
  readonly starts: readonly PlannedStart[]
  /** Processes whose document the target lacks (a deal template for an invoice with no deal). */
  readonly noDocument: readonly ProcessStart[]
  /** App trigger to fire on the invoice, or null (none configured or no invoice). */
  readonly triggerCode: string | null
}

function recordOf(target: ProcessTarget, type: ProcessDocumentType): number | null {
  return type === 'deal' ? target.dealId : target.invoiceId
}

/** The starts and the trigger one event asks for, per the settings. Pure: nothing is called. */
export function planEventProcesses(event: ProcessEvent, target: ProcessTarget, settings: ProcessSettings): EventPlan {
  const configured = settings.events[event]
  const starts: PlannedStart[] = []
  const noDocument: ProcessStart[] = []
  for (const start of configured.processes) {
    const id = recordOf(target, start.document)
    if (id === null)
      noDocument.push(start)
    else starts.push({ start, documentId: bizprocDocumentId(start.document, id) })
  }
  return { event, starts, noDocument, triggerCode: target.invoiceId === null ? null : configured.triggerCode }
}
