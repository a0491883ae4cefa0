/**
 * The steps of issue-and-send in the order the manager sees them. Each one leaves a trace in the
 * portal, so the chain can tell after a failure, a reload or in another tab what is already done.
 */
export const ISSUE_STEPS = ['invoice', 'products', 'document', 'pdf', 'email', 'stages', 'notify'] as const
export type IssueStep = typeof ISSUE_STEPS[number]

/** What the portal shows of one invoice's issue chain. */
export interface IssueTrace {
  readonly invoiceId: number | null
  readonly rowCount: number
  readonly documentId: number | null
  readonly pdfUrl: string | null
  /** The e-mail activity, counted only when the chain's "sent" marker confirms the portal sent it. */
  readonly emailActivityId: number | null
  readonly invoiceInSentStage: boolean
  readonly notified: boolean
}

export const EMPTY_TRACE: IssueTrace = { invoiceId: null, rowCount: 0, documentId: null, pdfUrl: null, emailActivityId: null, invoiceInSentStage: false, notified: false }

/** Whether `step` is already done according to `trace`. */
export function isStepDone(step: IssueStep, trace: IssueTrace): boolean {
  switch (step) {
    case 'invoice': return trace.invoiceId !== null
    case 'products': return trace.rowCount > 0
    case 'document': return trace.documentId !== null
    case 'pdf': return trace.pdfUrl !== null
    case 'email': return trace.emailActivityId !== null
    case 'stages': return trace.invoiceInSentStage
    case 'notify': return trace.notified
  }
}

/** The steps still to do, in order. */
export function remainingSteps(trace: IssueTrace): IssueStep[] {
  return ISSUE_STEPS.filter(step => !isStepDone(step, trace))
}
