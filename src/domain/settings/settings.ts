import type { Money } from '../money.ts'

/**
 * Invoice Desk's settings: one document, stored in the portal as a JSON app option (see
 * `portal/app-settings.ts`), read by every placement and changed only by admins. Every release
 * that changes this shape bumps `SETTINGS_SCHEMA_VERSION` and adds a step to `migrateSettings`.
 */
export const SETTINGS_SCHEMA_VERSION = 3

/** Company = B2B, contact only = B2C (README «The Invoice Desk service», auto-issue). */
export type ClientType = 'b2b' | 'b2c'
/** The languages e-mail templates are kept in (the client's language picks one). */
export type Language = 'ru' | 'en'

/** The e-mail templates the app sends; reminder steps pick one of them. */
export const EMAIL_TEMPLATE_IDS = ['invoice', 'reminderBeforeDue', 'reminderOnDue', 'reminderOverdue', 'paymentThanks'] as const
/** One of `EMAIL_TEMPLATE_IDS`. */
export type EmailTemplateId = typeof EMAIL_TEMPLATE_IDS[number]

/** One e-mail in one language. */
export interface EmailText {
  readonly subject: string
  /** Plain text with `{variables}`; rendered to escaped HTML when sent. */
  readonly body: string
}

/** One e-mail purpose in every language. */
export type EmailTemplate = Readonly<Record<Language, EmailText>>

/** The variables the closing e-mail may use besides the template variables: the closing template's name («Акт», «УПД»). */
export const CLOSING_EMAIL_VARIABLES = ['document.name'] as const

export interface CompanyTerm {
  readonly companyId: number
  /** Payment term for this company, days after the issue date. */
  readonly days: number
}

/** How invoices are made: pipeline, stages, PDF template, payment terms, our company. */
export interface InvoiceSettings {
  /** Smart-invoice pipeline; null = the portal's default invoice pipeline. */
  readonly categoryId: number | null
  /** Stage the invoice moves to once e-mailed; null = the pipeline's second open stage. */
  readonly sentStageId: string | null
  /** Document-generator template for the PDF; null = the first invoice template of the portal. */
  readonly documentTemplateId: number | null
  /**
   * The template's name, stored with its id when an admin saves the settings or installs: listing
   * templates needs the document generator's "modify templates" right, which managers usually lack
   * (R: api-reference/crm/document-generator/templates/crm-document-generator-template-list.md), so
   * their issue chain uses the stored template. Null = not stored (settings saved before it existed).
   */
  readonly documentTemplateName: string | null
  /**
   * Document-generator template of the closing document (act, УПД) made and e-mailed once a B2B
   * invoice is paid in full (`flows/closing-document.ts`); null or absent = no closing documents.
   */
  readonly closingDocumentTemplateId?: number | null
  /** The closing template's name, stored with its id like `documentTemplateName` (managers may not list templates). */
  readonly closingDocumentTemplateName?: string | null
  /**
   * The e-mail the closing document goes out with, per language, edited by the admin like the
   * invoice e-mail: the template variables plus `{document.name}` (`CLOSING_EMAIL_VARIABLES`).
   * Absent in documents stored before it existed: `readSettings` fills the defaults.
   */
  readonly closingDocumentEmail?: EmailTemplate
  /** Payment term in days after the issue date, by client type. */
  readonly paymentTermDays: Readonly<Record<ClientType, number>>
  readonly companyTerms: readonly CompanyTerm[]
  /** Our company (`mycompanyId`); null = the portal's first "my company". */
  readonly myCompanyId: number | null
}

/** Which clients automatic issue applies to. */
export type ClientTypeCondition = 'any' | ClientType

/** When a deal reaching a "ready" stage gets its invoice without a click; every condition is optional. */
export interface AutoIssueConditions {
  readonly enabled: boolean
  /** Issue only from this amount up (inclusive); null = any amount. */
  readonly minAmount: Money | null
  readonly clientType: ClientTypeCondition
  /** Payment methods that allow auto-issue; empty = any. */
  readonly paymentMethods: readonly string[]
  /** Regions that allow auto-issue; empty = any. */
  readonly regions: readonly string[]
  /**
   * The deal field holding the payment method (`UF_CRM_…` or a standard field's code, as
   * `crm.deal.fields` names it); null = the payment-method condition is not checked. For a list
   * field `paymentMethods` holds the list items' ids.
   */
  readonly paymentMethodField?: string | null
  /** The deal field holding the region, as `paymentMethodField`; null = not checked. */
  readonly regionField?: string | null
}

/** How deals drive and follow invoices. */
export interface DealSettings {
  /** Deal stages that mean "ready to invoice" (the automatic-issue trigger). */
  readonly readyStageIds: readonly string[]
  /** Stage the deal moves to after the invoice is sent; null = do not move. */
  readonly stageAfterSent: string | null
  /** Stage the deal moves to after payment; null = do not move. */
  readonly stageAfterPaid: string | null
  readonly autoIssue: AutoIssueConditions
}

/**
 * Who the client e-mails come from (`SETTINGS.MESSAGE_FROM` of crm.activity.add, R:
 * tutorials/crm/how-to-add-crm-objects/how-to-send-email.md): `portal` passes none and Bitrix24 picks
 * the employee's mailbox connected to CRM, then the shared CRM mailbox, else refuses with
 * `Email send error. "From" is not found`; `responsible` is the invoice's responsible manager
 * (`Name Surname <e-mail>` from `user.get`); `company` is the fixed `name <address>` below.
 */
export const EMAIL_SENDER_SOURCES = ['portal', 'responsible', 'company'] as const
/** One of `EMAIL_SENDER_SOURCES`. */
export type EmailSenderSource = typeof EMAIL_SENDER_SOURCES[number]

/** The sender of every client e-mail (the first one, repeats, reminders, subscription periods). */
export interface EmailSender {
  readonly source: EmailSenderSource
  /** The name shown in "From" for `company`, e.g. «ООО «Инвойс Деск» — бухгалтерия». */
  readonly name: string
  /** The address for `company`; a mailbox the portal can send from. */
  readonly address: string
  /** Bitrix24 sends a copy of each e-mail to the sender unless told not to (`DISABLE_SENDING_MESSAGE_COPY`). Default false. */
  readonly copyToSender: boolean
}

/**
 * The client e-mails: templates per purpose and language, and who sends them. (Documents stored before
 * carry `copyTo`, a list of addresses for copies that Bitrix24's `crm.activity.add` has no field for —
 * no BCC: R: api-reference/crm/timeline/activities/activity-base/crm-activity-add.md; it is dropped when read.)
 */
export interface EmailSettings {
  readonly templates: Readonly<Record<EmailTemplateId, EmailTemplate>>
  /** Who the e-mails come from; filled by `defaultSettings`/`readSettings` (missing in documents stored before it). */
  readonly sender?: EmailSender
}

/** Who is told about an event: roles relative to the invoice, plus named users. */
export type RecipientRole = 'responsible' | 'supervisor'

/** The people told about one event. */
export interface Recipients {
  readonly roles: readonly RecipientRole[]
  readonly userIds: readonly number[]
}

/** The date a follow-up task's offset counts from. */
export type TaskAnchor = 'issue' | 'due'

/** A task created for someone after an invoice is issued, e.g. "call the client" 3 days later. */
export interface FollowUpTask {
  readonly title: string
  /** Days after the anchor date (negative = before it). */
  readonly offsetDays: number
  readonly anchor: TaskAnchor
  readonly responsible: RecipientRole
}

/** Who is notified of what, and which follow-up tasks are created. */
export interface NotificationSettings {
  readonly onIssue: Recipients
  readonly onPayment: Recipients
  readonly onOverdue: Recipients
  readonly tasks: readonly FollowUpTask[]
}

/** How a reminder step reaches someone: e-mail to the client, task or notification to the manager, escalation to the supervisor. */
export const REMINDER_CHANNELS = ['email', 'task', 'notify', 'escalate'] as const
/** One of `REMINDER_CHANNELS`. */
export type ReminderChannel = typeof REMINDER_CHANNELS[number]

/** One step of the reminder schedule. */
export interface ReminderStep {
  /** Days relative to the due date: −3 = three days before, 0 = on the day, 7 = a week late. */
  readonly offsetDays: number
  readonly channel: ReminderChannel
  /** The e-mail template for `email` steps; ignored by the other channels. */
  readonly templateId: EmailTemplateId
}

/** After the last step, its channel and template again every `everyDays` days, at most `maxTimes` times. */
export interface ReminderRepeat {
  /** Days between repeats (1–90). */
  readonly everyDays: number
  /** How many repeats at most (1–24). */
  readonly maxTimes: number
}

/** One client company's exception to the reminder schedule. */
export interface CompanyReminderOverride {
  readonly companyId: number
  /** The company asked not to be reminded (or is handled by hand): nothing is sent for its invoices. */
  readonly optOut: boolean
  /** This company's own schedule; null = the portal's `steps`. */
  readonly steps: readonly ReminderStep[] | null
}

/** The overdue-payment reminder schedule; stored here, run by the reminders feature. */
export interface ReminderSettings {
  readonly enabled: boolean
  readonly steps: readonly ReminderStep[]
  /** Repeats after the last step; null = none. Since schema 2. */
  readonly repeat: ReminderRepeat | null
  /** Hour of the day (0–23, the portal's time zone) from which reminders go out. */
  readonly sendHour: number
  readonly businessDaysOnly: boolean
  /** Days off besides weekends, ISO `YYYY-MM-DD`. */
  readonly holidays: readonly string[]
  /** Saturdays and Sundays that are working days (the production calendar moves days off), ISO `YYYY-MM-DD`. Since schema 2. */
  readonly workingWeekends: readonly string[]
  /** Invoices with less left to pay are not chased; null = every amount. */
  readonly minAmount: Money | null
  /** One e-mail per client per sweep listing all its due invoices, instead of one per invoice. Since schema 2. */
  readonly groupByClient: boolean
  /** Per-company opt-out or own schedule; at most one per company. Since schema 2. */
  readonly companyOverrides: readonly CompanyReminderOverride[]
  /** Named accountants an `escalate` step notifies, besides the responsible's supervisor when known. Since schema 2. */
  readonly escalationUserIds: readonly number[]
}

/** The app's events a business process or an app trigger can follow (README «Business processes and approval»); `reminder` is any reminder step. Since schema 2. */
export const PROCESS_EVENTS = ['issued', 'sent', 'paid', 'reminder', 'promiseBroken'] as const
/** One of `PROCESS_EVENTS`. */
export type ProcessEvent = typeof PROCESS_EVENTS[number]

/** The CRM document a business-process template runs on: the deal or its smart invoice. */
export type ProcessDocumentType = 'deal' | 'invoice'

/** A Bitrix24 business-process template to start (`bizproc.workflow.start`). */
export interface ProcessStart {
  readonly templateId: number
  /** The template's document type: it decides which record the process runs on. */
  readonly document: ProcessDocumentType
  /** The template's name when it was chosen, for the timeline and for users who may not list templates. */
  readonly name: string
  /** Values for the template's parameters, by parameter id (a user as `user_14`). */
  readonly parameters: Readonly<Record<string, string>>
}

/** What one app event starts: business processes, and an app trigger so stage robots react. */
export interface EventProcesses {
  readonly processes: readonly ProcessStart[]
  /** App trigger registered at install (`invoice_sent` …) fired with `crm.automation.trigger.execute`; null = none. */
  readonly triggerCode: string | null
}

/** B2B approval: invoices from `minAmount` up wait for a business process before they are e-mailed (README «Business processes and approval»). */
export interface ApprovalSettings {
  readonly enabled: boolean
  /** Invoices with at least this sum need approval; null = every invoice. An invoice in another currency always needs it. */
  readonly minAmount: Money | null
  /** The approval template (one that waits, e.g. «Согласование счёта»); null = none chosen. */
  readonly templateId: number | null
  readonly document: ProcessDocumentType
  readonly name: string
}

/** Business processes and triggers per app event, and the approval before sending. Since schema 2. */
export interface ProcessSettings {
  readonly events: Readonly<Record<ProcessEvent, EventProcesses>>
  readonly approval: ApprovalSettings
}

/** The execution journal (README «Execution journal»): where it lives and how long entries are kept. Since schema 3. */
export interface JournalSettings {
  /** `entityTypeId` of the journal's smart process, created at install; null = not created yet (nothing is journaled). */
  readonly entityTypeId: number | null
  /** Entries older than this many days (7–365) are deleted when an admin opens the journal. */
  readonly keepDays: number
}

/** The whole settings document, version `SETTINGS_SCHEMA_VERSION`. */
export interface InvoiceDeskSettings {
  readonly schemaVersion: typeof SETTINGS_SCHEMA_VERSION
  readonly invoice: InvoiceSettings
  readonly deal: DealSettings
  readonly email: EmailSettings
  readonly notifications: NotificationSettings
  readonly reminders: ReminderSettings
  readonly processes: ProcessSettings
  readonly journal: JournalSettings
  /**
   * Test mode, portal-wide (README «Test mode»): every automated action is planned and shown — invoice
   * fields, the e-mail as the client would see it, stage moves, processes — and nothing is written
   * or sent. Since schema 3.
   */
  readonly testMode: boolean
}
