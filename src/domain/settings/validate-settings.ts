import type { Money } from '../money.ts'
import type { SettingsCatalog } from './settings-catalog.ts'
import type { EmailText, InvoiceDeskSettings, Recipients } from './settings.ts'
import { unknownPlaceholders } from '../template/template-variables.ts'
import { EMAIL_TEMPLATE_IDS } from './settings.ts'
import { invoicePipelineOf } from './settings-catalog.ts'

/** Why a value is refused; the UI turns the code into a sentence (`settings.error.<code>`). */
export type SettingsIssueCode
  = | 'outOfRange' | 'stageMissing' | 'pipelineMissing' | 'templateMissing' | 'companyMissing' | 'userMissing'
    | 'subjectEmpty' | 'bodyEmpty' | 'titleEmpty' | 'unknownVariable' | 'emailInvalid' | 'dateInvalid'
    | 'amountNegative' | 'duplicate'

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
} as const satisfies Record<string, { min: number, max: number }>

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

function checkVariables(issues: Issues, path: string, template: string): void {
  const unknown = unknownPlaceholders(template)
  if (unknown.length > 0)
    issues.push({ path, code: 'unknownVariable', params: { name: `{${unknown[0]}}` } })
}

function checkInvoice(issues: Issues, settings: InvoiceDeskSettings, catalog: SettingsCatalog): void {
  const invoice = settings.invoice
  if (invoice.categoryId !== null && !catalog.invoicePipelines.some(pipeline => pipeline.id === invoice.categoryId))
    issues.push({ path: 'invoice.categoryId', code: 'pipelineMissing' })
  const pipelineId = invoicePipelineOf(settings, catalog)?.id ?? null
  if (invoice.sentStageId !== null && !catalog.invoiceStages.some(stage => stage.id === invoice.sentStageId && stage.categoryId === pipelineId))
    issues.push({ path: 'invoice.sentStageId', code: 'stageMissing' })
  if (invoice.documentTemplateId !== null && !catalog.documentTemplates.some(template => template.id === invoice.documentTemplateId))
    issues.push({ path: 'invoice.documentTemplateId', code: 'templateMissing' })
  if (invoice.myCompanyId !== null && !catalog.myCompanies.some(company => company.id === invoice.myCompanyId))
    issues.push({ path: 'invoice.myCompanyId', code: 'companyMissing' })
  checkRange(issues, 'invoice.paymentTermDays.b2b', invoice.paymentTermDays.b2b, SETTINGS_LIMITS.paymentTermDays)
  checkRange(issues, 'invoice.paymentTermDays.b2c', invoice.paymentTermDays.b2c, SETTINGS_LIMITS.paymentTermDays)
  const seen = new Set<number>()
  invoice.companyTerms.forEach((term, index) => {
    if (!catalog.companies.some(company => company.id === term.companyId))
      issues.push({ path: `invoice.companyTerms.${index}.companyId`, code: 'companyMissing' })
    else if (seen.has(term.companyId))
      issues.push({ path: `invoice.companyTerms.${index}.companyId`, code: 'duplicate' })
    seen.add(term.companyId)
    checkRange(issues, `invoice.companyTerms.${index}.days`, term.days, SETTINGS_LIMITS.paymentTermDays)
  })
}

function checkDeal(issues: Issues, settings: InvoiceDeskSettings, catalog: SettingsCatalog): void {
  const deal = settings.deal
  const exists = (id: string) => catalog.dealStages.some(stage => stage.id === id)
  deal.readyStageIds.forEach((id) => {
    if (!exists(id))
      issues.push({ path: 'deal.readyStageIds', code: 'stageMissing', params: { id } })
  })
  if (deal.stageAfterSent !== null && !exists(deal.stageAfterSent))
    issues.push({ path: 'deal.stageAfterSent', code: 'stageMissing' })
  if (deal.stageAfterPaid !== null && !exists(deal.stageAfterPaid))
    issues.push({ path: 'deal.stageAfterPaid', code: 'stageMissing' })
  checkAmount(issues, 'deal.autoIssue.minAmount', deal.autoIssue.minAmount)
}

function checkEmailText(issues: Issues, path: string, text: EmailText): void {
  if (text.subject.trim() === '')
    issues.push({ path: `${path}.subject`, code: 'subjectEmpty' })
  else checkVariables(issues, `${path}.subject`, text.subject)
  if (text.body.trim() === '')
    issues.push({ path: `${path}.body`, code: 'bodyEmpty' })
  else checkVariables(issues, `${path}.body`, text.body)
}

function checkEmail(issues: Issues, settings: InvoiceDeskSettings): void {
  for (const id of EMAIL_TEMPLATE_IDS) {
    checkEmailText(issues, `email.templates.${id}.ru`, settings.email.templates[id].ru)
    checkEmailText(issues, `email.templates.${id}.en`, settings.email.templates[id].en)
  }
  const invalid = settings.email.copyTo.find(address => !EMAIL.test(address))
  if (invalid !== undefined)
    issues.push({ path: 'email.copyTo', code: 'emailInvalid', params: { value: invalid } })
}

function checkRecipients(issues: Issues, path: string, recipients: Recipients, catalog: SettingsCatalog): void {
  if (recipients.userIds.some(id => !catalog.users.some(user => user.id === id)))
    issues.push({ path, code: 'userMissing' })
}

function checkNotifications(issues: Issues, settings: InvoiceDeskSettings, catalog: SettingsCatalog): void {
  const notifications = settings.notifications
  checkRecipients(issues, 'notifications.onIssue', notifications.onIssue, catalog)
  checkRecipients(issues, 'notifications.onPayment', notifications.onPayment, catalog)
  checkRecipients(issues, 'notifications.onOverdue', notifications.onOverdue, catalog)
  notifications.tasks.forEach((task, index) => {
    if (task.title.trim() === '')
      issues.push({ path: `notifications.tasks.${index}.title`, code: 'titleEmpty' })
    else checkVariables(issues, `notifications.tasks.${index}.title`, task.title)
    checkRange(issues, `notifications.tasks.${index}.offsetDays`, task.offsetDays, SETTINGS_LIMITS.taskOffsetDays)
  })
}

function checkReminders(issues: Issues, settings: InvoiceDeskSettings): void {
  const reminders = settings.reminders
  const seen = new Set<string>()
  reminders.steps.forEach((step, index) => {
    checkRange(issues, `reminders.steps.${index}.offsetDays`, step.offsetDays, SETTINGS_LIMITS.reminderOffsetDays)
    const key = `${step.offsetDays}:${step.channel}`
    if (seen.has(key))
      issues.push({ path: `reminders.steps.${index}.offsetDays`, code: 'duplicate' })
    seen.add(key)
  })
  checkRange(issues, 'reminders.sendHour', reminders.sendHour, SETTINGS_LIMITS.sendHour)
  const badDate = reminders.holidays.find(day => !isIsoDate(day))
  if (badDate !== undefined)
    issues.push({ path: 'reminders.holidays', code: 'dateInvalid', params: { value: badDate } })
  checkAmount(issues, 'reminders.minAmount', reminders.minAmount)
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
 * and bodies, only known `{variables}`, valid e-mail addresses and dates. Returns every problem
 * (empty = valid), so the editor can show each one next to its field and save nothing until none is left.
 */
export function validateSettings(settings: InvoiceDeskSettings, catalog: SettingsCatalog): SettingsIssue[] {
  const issues: Issues = []
  checkInvoice(issues, settings, catalog)
  checkDeal(issues, settings, catalog)
  checkEmail(issues, settings)
  checkNotifications(issues, settings, catalog)
  checkReminders(issues, settings)
  return issues
}
