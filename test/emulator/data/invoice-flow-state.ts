/**
 * What the "issue and send an invoice" methods write: generated documents, CRM activities (e-mails),
 * timeline entries, notifications, tasks and payments. Kept on the portal state (`state.invoiceFlow`),
 * created on first use, so a reset (a new state) starts empty and the data generator need not know it.
 */
import type { PortalState } from './portal-state.ts'

/** A crm.documentgenerator document (R: api-reference/crm/document-generator/documents/*.md). */
export interface GeneratedDocument {
  id: number
  templateId: string
  entityTypeId: number
  entityId: number
  title: string
  number: string
  createTime: string
  updateTime: string
  createdBy: number
  updatedBy: number | null
  values: Record<string, unknown>
  stampsEnabled: boolean
  changeStampsEnabled: boolean
  products: { currencyId: string, totalSum: string, totalRows: number }
  fileId: number
  imageId: number
  pdfId: number
  emailDiskFile: number
  /** Secret in the machine download links. */
  fileToken: string
  /** Real time (ms) when the PDF conversion finishes. */
  readyAtMs: number
  /** The conversion will fail (set by POST /emulator/docgen failNext). */
  failConversion: boolean
  publicCode: string | null
  /** The PDF text lines, frozen at creation time. */
  lines: string[]
}

export interface ActivityCommunication {
  ID: string
  TYPE: string
  VALUE: string
  ENTITY_ID: string
  ENTITY_TYPE_ID: string
}

/** A crm.activity record, UPPER_CASE as crm.activity.get returns it (values are strings). */
export type CrmActivity = Record<string, unknown> & { ID: string, OWNER_TYPE_ID: string, OWNER_ID: string }

export interface LogMessage {
  id: number
  entityTypeId: number
  entityId: number
  created: string
  authorId: number
  title: string
  text: string
  iconCode: string
  /** Who created it: 'app' (the application) or 'webhook:<userId>'; only the same creator may delete. */
  creator: string
}

export interface TimelineComment {
  id: number
  entityType: string
  entityId: number
  comment: string
  authorId: number
  created: string
  files: { name: string, size: number }[]
}

export interface Notification {
  id: number
  kind: 'system' | 'personal'
  userId: number
  fromUserId: number | null
  message: string
  messageOut: string
  tag: string
  subTag: string
  attach: unknown
  created: string
}

/** A task as tasks.task.get returns it (camelCase, values as strings). */
export type Task = Record<string, unknown> & { id: string }

/** A payment of a deal or an invoice (R: api-reference/crm/universal/payment/crm-item-payment-get.md). */
export interface Payment {
  id: number
  entityTypeId: number
  entityId: number
  accountNumber: string
  paid: 'Y' | 'N'
  datePaid: string | null
  empPaidId: number | null
  paySystemId: number
  sum: number
  currency: string
}

export interface PaymentProduct {
  id: number
  paymentId: number
  rowId: number
  quantity: number
}

export interface InvoiceFlowState {
  documents: GeneratedDocument[]
  nextDocumentId: number
  /** Next number per template numerator (template id → next number). */
  numerators: Map<string, number>
  /** Drive file ids (document files, e-mail attachments). */
  nextDiskFileId: number
  activities: CrmActivity[]
  nextActivityId: number
  nextCommunicationId: number
  logMessages: LogMessage[]
  nextLogMessageId: number
  comments: TimelineComment[]
  nextCommentId: number
  notifications: Notification[]
  nextNotificationId: number
  tasks: Task[]
  nextTaskId: number
  payments: Payment[]
  nextPaymentId: number
  paymentProducts: PaymentProduct[]
  nextPaymentProductId: number
}

/** Payment systems the portal has (R: the payment docs' example `paySystemId 6, paySystemName "Cash"`). */
export const PAY_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [6, 'Cash'],
  [7, 'Bank transfer'],
])
export const DEFAULT_PAY_SYSTEM_ID = 6

export function invoiceFlow(state: PortalState): InvoiceFlowState {
  state.invoiceFlow ??= {
    documents: [], nextDocumentId: 1, numerators: new Map(), nextDiskFileId: 5601,
    activities: [], nextActivityId: 1, nextCommunicationId: 1,
    logMessages: [], nextLogMessageId: 1, comments: [], nextCommentId: 1,
    notifications: [], nextNotificationId: 1, tasks: [], nextTaskId: 1,
    payments: [], nextPaymentId: 1, paymentProducts: [], nextPaymentProductId: 1,
  }
  return state.invoiceFlow
}
