import type { Money } from '../money.ts'
import type { SettingsCatalog } from './settings-catalog.ts'
import type { EmailText, InvoiceDeskSettings, ProcessDocumentType, Recipients, ReminderStep } from './settings.ts'
import { unknownPlaceholders } from '../template/template-variables.ts'
import { CLOSING_EMAIL_VARIABLES, EMAIL_TEMPLATE_IDS, PROCESS_EVENTS } from './settings.ts'
import { invoicePipelineOf } from './settings-catalog.ts'

/** Why a value is refused; the UI turns the code into a sentence (`settings.error.<code>`). */
export type SettingsIssueCode
  = | 'outOfRange' | 'stageMissing' | 'pipelineMissing' | 'templateMissing' | 'companyMissing' | 'userMissing'
    | 'subjectEmpty' | 'bodyEmpty' | 'titleEmpty' | 'unknownVariable' | 'emailInvalid' | 'dateInvalid'
    | 'amountNegative' | 'duplicate' | 'senderNameInvalid' | 'senderAddressInvalid' | 'fieldMissing'
    | 'tooMany' | 'tooLong' | 'tooLarge' | 'unbalancedBrace' | 'notAnObject' | 'newerSchema'

/** One refused value: where (`invoice.paymentTermDays.b2b`, `reminders.steps.2.offsetDays` …), why, and details. */
export interface SettingsIssue {
  readonly path: string
  readonly code: SettingsIssueCode
  readonly params?: Readonly<Record<string, string | number>>
}

/** Limits, in days unless stated. A payment term over a year is a typo, not a contract. */
export const SETTINGS_LIMITS = {
  paymentTermDays: { min: 0, max: 365 },
  taskOffsetDays: { min: -365, max: 365 },
  reminderOffsetDays: { min: -60, max: 365 },
  sendHour: { min: 0, max: 23 },
  repeatEveryDays: { min: 1, max: 90 },
  /** Times, not days: two years of monthly repeats is the most a client should get. */
  repeatMaxTimes: { min: 1, max: 24 },
} as const satisfies Record<string, { min: number, max: number }>

/**
 * Sizes: a settings document is read by every placement and by the runner, and a text is mailed as
 * written. Checked on save and wherever stored settings are used (`checkSettingsForUse`).
 */
export const SETTINGS_SIZE_LIMITS = {
  /** Reminder steps of the portal or of one company, and follow-up tasks. */
  steps: 20,
  subjectChars: 250,
  bodyChars: 20_000,
  taskTitleChars: 250,
  /** The whole JSON document, in kB (1 kB = 1024 characters). */
  documentKb: 256,
} as const

/** A pragmatic address check: one @, no spaces, a dot in the domain. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

type Issues = SettingsIssue[]

function checkRange(issues: Issues, path: string, value: number, limits: { min: number, max: number }): void {
  if (!Number.isInteger(value) || value < limits.min || value > limits.max)
    issues.push({ path, code: 'outOfRange', params: { min: limits.min, max: limits.max } })
}

function checkAmount(issues: Issues, path: string, amount: Money | null): void {
  if (amount && amount.amountMinor < 0)
    issues.push({ path, code: 'amountNegative' })
}

function checkCount(issues: Issues, path: string, count: number): void {
  if (count > SETTINGS_SIZE_LIMITS.steps)
    issues.push({ path, code: 'tooMany', params: { max: SETTINGS_SIZE_LIMITS.steps } })
}

/** A text too long, a `{` that opens no `{variable}` (it would be mailed as written), or an unknown variable: the first of these. */
function checkText(issues: Issues, path: string, template: string, maxChars: number, extra: readonly string[] = []): void {
  if (template.length > maxChars)
    issues.push({ path, code: 'tooLong', params: { max: maxChars } })
  else if (hasUnbalancedBrace(template))
    issues.push({ path, code: 'unbalancedBrace' })
  else checkVariables(issues, path, template, extra)
}

/** `extra`: names a particular e-mail may use besides the template variables (the closing e-mail's `{document.name}`). */
function checkVariables(issues: Issues, path: string, template: string, extra: readonly string[] = []): void {
  const unknown = unknownPlaceholders(template).filter(name => !extra.includes(name))
  if (unknown.length > 0)
    issues.push({ path, code: 'unknownVariable', params: { name: `{${unknown[0]}}` } })
}

function checkInvoice(issues: Issues, settings: InvoiceDeskSettings, catalog: SettingsCatalog | null): void {
  const invoice = settings.invoice
  if (catalog)
    checkInvoiceReferences(issues, settings, catalog)
  checkRange(issues, 'invoice.paymentTermDays.b2b', invoice.paymentTermDays.b2b, SETTINGS_LIMITS.paymentTermDays)
  checkRange(issues, 'invoice.paymentTermDays.b2c', invoice.paymentTermDays.b2c, SETTINGS_LIMITS.paymentTermDays)
  const seen = new Set<number>()
  invoice.companyTerms.forEach((term, index) => {
    if (catalog && !catalog.companies.some(company => company.id === term.companyId))
      issues.push({ path: `invoice.companyTerms.${index}.companyId`, code: 'companyMissing' })
    else if (seen.has(term.companyId))
      issues.push({ path: `invoice.companyTerms.${index}.companyId`, code: 'duplicate' })
    seen.add(term.companyId)
    checkRange(issues, `invoice.companyTerms.${index}.days`, term.days, SETTINGS_LIMITS.paymentTermDays)
  })
  if (invoice.closingDocumentEmail) {
    checkEmailText(issues, 'invoice.closingDocumentEmail.ru', invoice.closingDocumentEmail.ru, CLOSING_EMAIL_VARIABLES)
    checkEmailText(issues, 'invoice.closingDocumentEmail.en', invoice.closingDocumentEmail.en, CLOSING_EMAIL_VARIABLES)
  }
}

/** The pipeline, stage, document template and our company the settings name must still exist. */
function checkInvoiceReferences(issues: Issues, settings: InvoiceDeskSettings, catalog: SettingsCatalog): void {
  const invoice = settings.invoice
  if (invoice.categoryId !== null && !catalog.invoicePipelines.some(pipeline => pipeline.id === invoice.categoryId))
    issues.push({ path: 'invoice.categoryId', code: 'pipelineMissing' })
  const pipelineId = invoicePipelineOf(settings, catalog)?.id ?? null
  if (invoice.sentStageId !== null && !catalog.invoiceStages.some(stage => stage.id === invoice.sentStageId && stage.categoryId === pipelineId))
    issues.push({ path: 'invoice.sentStageId', code: 'stageMissing' })
  // A user refused the template list cannot tell whether the stored template still exists.
  if (invoice.documentTemplateId !== null && catalog.documentTemplatesListed !== false && !catalog.documentTemplates.some(template => template.id === invoice.documentTemplateId))
    issues.push({ path: 'invoice.documentTemplateId', code: 'templateMissing' })
  const closingId = invoice.closingDocumentTemplateId ?? null
  if (closingId !== null && catalog.documentTemplatesListed !== false && !catalog.documentTemplates.some(template => template.id === closingId))
    issues.push({ path: 'invoice.closingDocumentTemplateId', code: 'templateMissing' })
  if (invoice.myCompanyId !== null && !catalog.myCompanies.some(company => company.id === invoice.myCompanyId))
    issues.push({ path: 'invoice.myCompanyId', code: 'companyMissing' })
}

function checkDeal(issues: Issues, settings: InvoiceDeskSettings, catalog: SettingsCatalog | null): void {
  const deal = settings.deal
  // Without a catalog every stage passes: only the portal knows which exist.
  const exists = (id: string) => catalog === null || catalog.dealStages.some(stage => stage.id === id)
  deal.readyStageIds.forEach((id) => {
    if (!exists(id))
      issues.push({ path: 'deal.readyStageIds', code: 'stageMissing', params: { id } })
  })
  if (deal.stageAfterSent !== null && !exists(deal.stageAfterSent))
    issues.push({ path: 'deal.stageAfterSent', code: 'stageMissing' })
  if (deal.stageAfterPaid !== null && !exists(deal.stageAfterPaid))
    issues.push({ path: 'deal.stageAfterPaid', code: 'stageMissing' })
  checkAmount(issues, 'deal.autoIssue.minAmount', deal.autoIssue.minAmount)
  // A mapped deal field must still exist (when the catalog read the deal's fields).
  const fields = catalog?.dealFields
  for (const key of ['paymentMethodField', 'regionField'] as const) {
    const code = deal.autoIssue[key]
    if (fields && code && !fields.some(field => field.code === code))
      issues.push({ path: `deal.autoIssue.${key}`, code: 'fieldMissing', params: { code } })
  }
}

function checkEmailText(issues: Issues, path: string, text: EmailText, extra: readonly string[] = []): void {
  if (text.subject.trim() === '')
    issues.push({ path: `${path}.subject`, code: 'subjectEmpty' })
  else checkText(issues, `${path}.subject`, text.subject, SETTINGS_SIZE_LIMITS.subjectChars, extra)
  if (text.body.trim() === '')
    issues.push({ path: `${path}.body`, code: 'bodyEmpty' })
  else checkText(issues, `${path}.body`, text.body, SETTINGS_SIZE_LIMITS.bodyChars, extra)
}

function checkEmail(issues: Issues, settings: InvoiceDeskSettings): void {
  for (const id of EMAIL_TEMPLATE_IDS) {
    checkEmailText(issues, `email.templates.${id}.ru`, settings.email.templates[id].ru)
    checkEmailText(issues, `email.templates.${id}.en`, settings.email.templates[id].en)
  }
  checkSender(issues, settings)
}

/** A company sender needs a name and a valid address: Bitrix24 reads the address between the angle brackets and checks it. */
function checkSender(issues: Issues, settings: InvoiceDeskSettings): void {
  const sender = settings.email.sender
  if (sender?.source !== 'company')
    return
  if (sender.name.trim() === '' || /[<>"]/.test(sender.name))
    issues.push({ path: 'email.sender.name', code: 'senderNameInvalid' })
  if (!EMAIL.test(sender.address.trim()) || /[<>",;]/.test(sender.address))
    issues.push({ path: 'email.sender.address', code: 'senderAddressInvalid', params: { value: sender.address } })
}

function checkRecipients(issues: Issues, path: string, recipients: Recipients, catalog: SettingsCatalog | null): void {
  if (catalog && recipients.userIds.some(id => !catalog.users.some(user => user.id === id)))
    issues.push({ path, code: 'userMissing' })
}

function checkNotifications(issues: Issues, settings: InvoiceDeskSettings, catalog: SettingsCatalog | null): void {
  const notifications = settings.notifications
  checkCount(issues, 'notifications.tasks', notifications.tasks.length)
  checkRecipients(issues, 'notifications.onIssue', notifications.onIssue, catalog)
  checkRecipients(issues, 'notifications.onPayment', notifications.onPayment, catalog)
  checkRecipients(issues, 'notifications.onOverdue', notifications.onOverdue, catalog)
  notifications.tasks.forEach((task, index) => {
    if (task.title.trim() === '')
      issues.push({ path: `notifications.tasks.${index}.title`, code: 'titleEmpty' })
    else checkText(issues, `notifications.tasks.${index}.title`, task.title, SETTINGS_SIZE_LIMITS.taskTitleChars)
    checkRange(issues, `notifications.tasks.${index}.offsetDays`, task.offsetDays, SETTINGS_LIMITS.taskOffsetDays)
  })
}

function checkReminderSteps(issues: Issues, path: string, steps: readonly ReminderStep[]): void {
  checkCount(issues, path, steps.length)
  const seen = new Set<string>()
  steps.forEach((step, index) => {
    checkRange(issues, `${path}.${index}.offsetDays`, step.offsetDays, SETTINGS_LIMITS.reminderOffsetDays)
    const key = `${step.offsetDays}:${step.channel}`
    if (seen.has(key))
      issues.push({ path: `${path}.${index}.offsetDays`, code: 'duplicate' })
    seen.add(key)
  })
}

function checkDates(issues: Issues, path: string, days: readonly string[]): void {
  const badDate = days.find(day => !isIsoDate(day))
  if (badDate !== undefined)
    issues.push({ path, code: 'dateInvalid', params: { value: badDate } })
}

/** Company ids are not checked against the catalog: it lists only the first 50 companies. */
function checkCompanyOverrides(issues: Issues, settings: InvoiceDeskSettings): void {
  const seen = new Set<number>()
  settings.reminders.companyOverrides.forEach((override, index) => {
    const path = `reminders.companyOverrides.${index}`
    if (!Number.isInteger(override.companyId) || override.companyId <= 0)
      issues.push({ path: `${path}.companyId`, code: 'companyMissing' })
    else if (seen.has(override.companyId))
      issues.push({ path: `${path}.companyId`, code: 'duplicate' })
    seen.add(override.companyId)
    if (override.steps)
      checkReminderSteps(issues, `${path}.steps`, override.steps)
  })
}

function checkReminders(issues: Issues, settings: InvoiceDeskSettings, catalog: SettingsCatalog | null): void {
  const reminders = settings.reminders
  checkReminderSteps(issues, 'reminders.steps', reminders.steps)
  if (reminders.repeat) {
    checkRange(issues, 'reminders.repeat.everyDays', reminders.repeat.everyDays, SETTINGS_LIMITS.repeatEveryDays)
    checkRange(issues, 'reminders.repeat.maxTimes', reminders.repeat.maxTimes, SETTINGS_LIMITS.repeatMaxTimes)
  }
  checkRange(issues, 'reminders.sendHour', reminders.sendHour, SETTINGS_LIMITS.sendHour)
  checkDates(issues, 'reminders.holidays', reminders.holidays)
  checkDates(issues, 'reminders.workingWeekends', reminders.workingWeekends)
  checkAmount(issues, 'reminders.minAmount', reminders.minAmount)
  checkCompanyOverrides(issues, settings)
  // A catalog that lists no users has nothing to judge the accountants against.
  if (catalog && catalog.users.length > 0)
    checkRecipients(issues, 'reminders.escalationUserIds', { roles: [], userIds: reminders.escalationUserIds }, catalog)
}

/** Chosen templates must still exist for their document type; judged only when the portal listed them (admins). */
function checkProcesses(issues: Issues, settings: InvoiceDeskSettings, catalog: SettingsCatalog | null): void {
  const listed = catalog?.processTemplates?.status === 'ready' ? catalog.processTemplates.templates : null
  const missing = (id: number, document: ProcessDocumentType) => listed !== null && !listed.some(entry => entry.id === id && entry.document === document)
  for (const event of PROCESS_EVENTS) {
    settings.processes.events[event].processes.forEach((start, index) => {
      if (missing(start.templateId, start.document))
        issues.push({ path: `processes.events.${event}.processes.${index}.templateId`, code: 'templateMissing' })
    })
  }
  const approval = settings.processes.approval
  if ((approval.enabled && approval.templateId === null) || (approval.templateId !== null && missing(approval.templateId, approval.document)))
    issues.push({ path: 'processes.approval.templateId', code: 'templateMissing' })
  checkAmount(issues, 'processes.approval.minAmount', approval.minAmount)
}

/** Journal entries are kept at least a week and at most a year. */
export const JOURNAL_KEEP_DAYS = { min: 7, max: 365 } as const

/** Whether a `{` is left once every well-formed `{name}` is taken out. */
function hasUnbalancedBrace(template: string): boolean {
  return template.replace(/\{[a-z][\w.]*\}/gi, '').includes('{')
}

function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match)
    return false
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
  return date.toISOString().slice(0, 10) === value
}

/**
 * Checks every setting against its limits and against what the portal has now (`catalog`): days
 * in range, stages, pipelines, templates, companies and users that still exist, non-empty subjects
 * and bodies within `SETTINGS_SIZE_LIMITS`, no `{` left open, only known `{variables}`, at most 20
 * steps or tasks, valid e-mail addresses and dates, a document of at most 256 kB. Returns every
 * problem (empty = valid), so the editor can show each one next to its field and save nothing until
 * none is left. `catalog` null (a connection that cannot list it, such as the runner's webhook):
 * every value is judged, no reference to the portal's stages, pipelines, templates or people.
 */
export function validateSettings(settings: InvoiceDeskSettings, catalog: SettingsCatalog | null): SettingsIssue[] {
  const issues: Issues = []
  checkInvoice(issues, settings, catalog)
  checkDeal(issues, settings, catalog)
  checkEmail(issues, settings)
  checkNotifications(issues, settings, catalog)
  checkReminders(issues, settings, catalog)
  checkProcesses(issues, settings, catalog)
  checkRange(issues, 'journal.keepDays', settings.journal.keepDays, JOURNAL_KEEP_DAYS)
  if (JSON.stringify(settings).length > SETTINGS_SIZE_LIMITS.documentKb * 1024)
    issues.push({ path: 'document', code: 'tooLarge', params: { maxKb: SETTINGS_SIZE_LIMITS.documentKb } })
  return issues
}

/**
 * The check the issue chain makes before it writes, with the catalog its own read brought (invoice
 * pipelines, the chosen pipeline's stages, document templates — or only the stored one when the
 * user may not list them —, our companies; no deal stages, companies or people): every value, and
 * the pipeline, "sent" stage, template and our company it will use. Empty = the chain may run.
 */
export function validateSettingsForIssue(settings: InvoiceDeskSettings, catalog: SettingsCatalog): SettingsIssue[] {
  const issues: Issues = []
  checkInvoiceReferences(issues, settings, catalog)
  return [...issues, ...validateSettings(settings, null)]
}
