import type { Money } from '../money.ts'
import type {
  AutoIssueConditions,
  CompanyReminderOverride,
  CompanyTerm,
  EmailSender,
  EmailTemplate,
  EmailTemplateId,
  FollowUpTask,
  EventProcesses,
  InvoiceDeskSettings,
  ProcessSettings,
  ProcessStart,
  Recipients,
  ReminderRepeat,
  ReminderStep,
} from './settings.ts'
import { defaultSettings } from './default-settings.ts'
import { EMAIL_SENDER_SOURCES, EMAIL_TEMPLATE_IDS, PROCESS_EVENTS, SETTINGS_SCHEMA_VERSION } from './settings.ts'
import { withCalendarDefaults } from '../reminders/ru-production-calendar.ts'

/** The app option that holds the settings document (a JSON string). */
export const SETTINGS_OPTION = 'invoiceDesk'

type Raw = Record<string, unknown>

/**
 * Steps that turn a stored document of version `n` into version `n + 1`, keyed by `n`. Version 1
 * is the first; a release that changes the shape adds its step here and bumps the version.
 */
export type SettingsMigrations = Readonly<Record<number, (raw: Raw) => Raw>>
export const SETTINGS_MIGRATIONS: SettingsMigrations = { 1: raw => addProcesses(addReminderPolicy(raw)) }

/**
 * v1 → v2: the reminder policy's new fields (repeat, grouping, company overrides, escalation
 * accountants, working weekends) with their defaults; everything stored is kept. One exception:
 * an empty or missing holiday list gets the production calendar, because v1 had no calendar and
 * stored its default `[]`, so empty there means "never chosen", not "no holidays".
 */
function addReminderPolicy(raw: Raw): Raw {
  const base = defaultSettings().reminders
  const reminders = record(raw.reminders)
  const holidays = Array.isArray(reminders.holidays) && reminders.holidays.length > 0 ? reminders.holidays : base.holidays
  const added = { repeat: base.repeat, workingWeekends: base.workingWeekends, groupByClient: base.groupByClient, companyOverrides: base.companyOverrides, escalationUserIds: base.escalationUserIds }
  return { ...raw, reminders: { ...added, ...reminders, holidays } }
}

/** v1 → v2: business processes per event and the approval, with their defaults (the install's triggers on their events). */
function addProcesses(raw: Raw): Raw {
  return isRecord(raw.processes) ? raw : { ...raw, processes: defaultSettings().processes }
}

/** What was found in the app options, besides the settings themselves. */
export interface StoredSettings {
  readonly settings: InvoiceDeskSettings
  /** The stored document's schema version; null when nothing (or garbage) is stored. */
  readonly storedVersion: number | null
  /** Written by a newer release: this one must not overwrite it. */
  readonly newerThanApp: boolean
}

const isRecord = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value)

function parseDocument(value: unknown): Raw | null {
  if (isRecord(value))
    return value
  if (typeof value !== 'string' || value === '')
    return null
  try {
    const parsed: unknown = JSON.parse(value)
    return isRecord(parsed) ? parsed : null
  }
  catch {
    return null
  }
}

/** Runs the migration steps from `fromVersion` up to the current version. */
export function migrateSettingsDocument(raw: Raw, fromVersion: number, migrations: SettingsMigrations = SETTINGS_MIGRATIONS): Raw {
  let document = raw
  for (let version = fromVersion; version < SETTINGS_SCHEMA_VERSION; version++) {
    const step = migrations[version]
    if (step)
      document = step(document)
  }
  return { ...document, schemaVersion: SETTINGS_SCHEMA_VERSION }
}

const record = (value: unknown): Raw => (isRecord(value) ? value : {})
const int = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : fallback)
const bool = (value: unknown, fallback: boolean): boolean => (typeof value === 'boolean' ? value : fallback)
const text = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback)
const idOrNull = (value: unknown, fallback: number | null): number | null => (value === null ? null : typeof value === 'number' && Number.isInteger(value) ? value : fallback)
const textOrNull = (value: unknown, fallback: string | null): string | null => (value === null ? null : typeof value === 'string' && value !== '' ? value : fallback)
const oneOf = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T => (allowed.includes(value as T) ? value as T : fallback)
const list = <T>(value: unknown, fallback: readonly T[], item: (raw: unknown) => T | null): readonly T[] => (Array.isArray(value) ? value.map(item).filter((entry): entry is T => entry !== null) : fallback)
const textItem = (value: unknown): string | null => (typeof value === 'string' ? value : null)
const intItem = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) ? value : null)

function money(value: unknown, fallback: Money | null): Money | null {
  if (value === null)
    return null
  const raw = record(value)
  return typeof raw.amountMinor === 'number' && Number.isInteger(raw.amountMinor) && typeof raw.currency === 'string'
    ? { amountMinor: raw.amountMinor, currency: raw.currency }
    : fallback
}

function recipients(value: unknown, fallback: Recipients): Recipients {
  const raw = record(value)
  return {
    roles: list(raw.roles, fallback.roles, role => (role === 'responsible' || role === 'supervisor' ? role : null)),
    userIds: list(raw.userIds, fallback.userIds, intItem),
  }
}

/** One e-mail in both languages; what is missing or not text comes from `base`. */
function emailTemplate(value: unknown, base: EmailTemplate): EmailTemplate {
  const stored = record(value)
  const language = (lang: 'ru' | 'en') => ({ subject: text(record(stored[lang]).subject, base[lang].subject), body: text(record(stored[lang]).body, base[lang].body) })
  return { ru: language('ru'), en: language('en') }
}

function templates(value: unknown, fallback: Readonly<Record<EmailTemplateId, EmailTemplate>>): Record<EmailTemplateId, EmailTemplate> {
  const raw = record(value)
  const entries = EMAIL_TEMPLATE_IDS.map(id => [id, emailTemplate(raw[id], fallback[id])] as const)
  return Object.fromEntries(entries) as Record<EmailTemplateId, EmailTemplate>
}

function emailSender(value: unknown, fallback: EmailSender): EmailSender {
  const raw = record(value)
  return {
    source: oneOf(raw.source, EMAIL_SENDER_SOURCES, fallback.source),
    name: text(raw.name, fallback.name),
    address: text(raw.address, fallback.address),
    copyToSender: bool(raw.copyToSender, fallback.copyToSender),
  }
}

function companyTerm(value: unknown): CompanyTerm | null {
  const raw = record(value)
  return typeof raw.companyId === 'number' && typeof raw.days === 'number' ? { companyId: Math.trunc(raw.companyId), days: Math.trunc(raw.days) } : null
}

function followUpTask(value: unknown): FollowUpTask | null {
  const raw = record(value)
  if (typeof raw.title !== 'string' || typeof raw.offsetDays !== 'number')
    return null
  return { title: raw.title, offsetDays: Math.trunc(raw.offsetDays), anchor: oneOf(raw.anchor, ['issue', 'due'], 'issue'), responsible: oneOf(raw.responsible, ['responsible', 'supervisor'], 'responsible') }
}

function reminderStep(value: unknown): ReminderStep | null {
  const raw = record(value)
  if (typeof raw.offsetDays !== 'number')
    return null
  return { offsetDays: Math.trunc(raw.offsetDays), channel: oneOf(raw.channel, ['email', 'task', 'notify', 'escalate'], 'email'), templateId: oneOf(raw.templateId, EMAIL_TEMPLATE_IDS, 'reminderOverdue') }
}

function reminderRepeat(value: unknown, fallback: ReminderRepeat | null): ReminderRepeat | null {
  if (value === null)
    return null
  const raw = record(value)
  return typeof raw.everyDays === 'number' && typeof raw.maxTimes === 'number' ? { everyDays: Math.trunc(raw.everyDays), maxTimes: Math.trunc(raw.maxTimes) } : fallback
}

function companyOverride(value: unknown): CompanyReminderOverride | null {
  const raw = record(value)
  if (typeof raw.companyId !== 'number')
    return null
  // Anything but a list means "the portal's schedule": a broken own schedule must not silence a client.
  const steps = Array.isArray(raw.steps) ? list(raw.steps, [], reminderStep) : null
  return { companyId: Math.trunc(raw.companyId), optOut: bool(raw.optOut, false), steps }
}

function autoIssue(value: unknown, fallback: AutoIssueConditions): AutoIssueConditions {
  const raw = record(value)
  return {
    enabled: bool(raw.enabled, fallback.enabled),
    minAmount: money(raw.minAmount, fallback.minAmount),
    clientType: oneOf(raw.clientType, ['any', 'b2b', 'b2c'], fallback.clientType),
    paymentMethods: list(raw.paymentMethods, fallback.paymentMethods, textItem),
    regions: list(raw.regions, fallback.regions, textItem),
    paymentMethodField: fieldCode(raw.paymentMethodField, fallback.paymentMethodField ?? null),
    regionField: fieldCode(raw.regionField, fallback.regionField ?? null),
  }
}

/** A deal field's code (`UF_CRM_…`, `SOURCE_ID`); anything else keeps the fallback, null clears it. */
function fieldCode(value: unknown, fallback: string | null): string | null {
  if (value === null)
    return null
  return typeof value === 'string' && /^\w{1,64}$/.test(value.trim()) ? value.trim() : fallback
}

const TRIGGER_CODE = /^[a-z0-9.\-_]+$/

function processStart(value: unknown): ProcessStart | null {
  const raw = record(value)
  if (typeof raw.templateId !== 'number' || !Number.isInteger(raw.templateId))
    return null
  const parameters = Object.entries(record(raw.parameters)).filter((entry): entry is [string, string] => typeof entry[1] === 'string')
  return { templateId: raw.templateId, document: oneOf(raw.document, ['deal', 'invoice'], 'deal'), name: text(raw.name, ''), parameters: Object.fromEntries(parameters) }
}

function eventProcesses(value: unknown, fallback: EventProcesses): EventProcesses {
  const raw = record(value)
  const code = raw.triggerCode === null ? null : typeof raw.triggerCode === 'string' && TRIGGER_CODE.test(raw.triggerCode) ? raw.triggerCode : fallback.triggerCode
  return { processes: list(raw.processes, fallback.processes, processStart), triggerCode: code }
}

function processSettings(value: unknown, fallback: ProcessSettings): ProcessSettings {
  const raw = record(value)
  const events = record(raw.events)
  const approval = record(raw.approval)
  return {
    events: Object.fromEntries(PROCESS_EVENTS.map(event => [event, eventProcesses(events[event], fallback.events[event])])) as unknown as ProcessSettings['events'],
    approval: {
      enabled: bool(approval.enabled, fallback.approval.enabled),
      minAmount: money(approval.minAmount, fallback.approval.minAmount),
      templateId: idOrNull(approval.templateId, fallback.approval.templateId),
      document: oneOf(approval.document, ['deal', 'invoice'], fallback.approval.document),
      name: text(approval.name, fallback.approval.name),
    },
  }
}

/**
 * Fills a (migrated) document into the current shape: every field of the wrong type or missing
 * takes its default, so a partly written or hand-edited option never breaks a placement. Values of
 * the right type are kept as they are; `validateSettings` judges them.
 */
export function settingsFromDocument(raw: Raw): InvoiceDeskSettings {
  const base = defaultSettings()
  const invoice = record(raw.invoice)
  const terms = record(invoice.paymentTermDays)
  const deal = record(raw.deal)
  const email = record(raw.email)
  const notifications = record(raw.notifications)
  const reminders = record(raw.reminders)
  return {
    schemaVersion: SETTINGS_SCHEMA_VERSION,
    invoice: {
      categoryId: idOrNull(invoice.categoryId, base.invoice.categoryId),
      sentStageId: textOrNull(invoice.sentStageId, base.invoice.sentStageId),
      documentTemplateId: idOrNull(invoice.documentTemplateId, base.invoice.documentTemplateId),
      documentTemplateName: textOrNull(invoice.documentTemplateName, base.invoice.documentTemplateName),
      closingDocumentTemplateId: idOrNull(invoice.closingDocumentTemplateId, base.invoice.closingDocumentTemplateId ?? null),
      closingDocumentTemplateName: textOrNull(invoice.closingDocumentTemplateName, base.invoice.closingDocumentTemplateName ?? null),
      closingDocumentEmail: emailTemplate(invoice.closingDocumentEmail, base.invoice.closingDocumentEmail!),
      paymentTermDays: { b2b: int(terms.b2b, base.invoice.paymentTermDays.b2b), b2c: int(terms.b2c, base.invoice.paymentTermDays.b2c) },
      companyTerms: list(invoice.companyTerms, base.invoice.companyTerms, companyTerm),
      myCompanyId: idOrNull(invoice.myCompanyId, base.invoice.myCompanyId),
    },
    deal: {
      readyStageIds: list(deal.readyStageIds, base.deal.readyStageIds, textItem),
      stageAfterSent: textOrNull(deal.stageAfterSent, base.deal.stageAfterSent),
      stageAfterPaid: textOrNull(deal.stageAfterPaid, base.deal.stageAfterPaid),
      autoIssue: autoIssue(deal.autoIssue, base.deal.autoIssue),
    },
    email: {
      templates: templates(email.templates, base.email.templates),
      sender: emailSender(email.sender, base.email.sender!),
    },
    notifications: {
      onIssue: recipients(notifications.onIssue, base.notifications.onIssue),
      onPayment: recipients(notifications.onPayment, base.notifications.onPayment),
      onOverdue: recipients(notifications.onOverdue, base.notifications.onOverdue),
      tasks: list(notifications.tasks, base.notifications.tasks, followUpTask),
    },
    reminders: {
      enabled: bool(reminders.enabled, base.reminders.enabled),
      steps: list(reminders.steps, base.reminders.steps, reminderStep),
      repeat: reminderRepeat(reminders.repeat, base.reminders.repeat),
      sendHour: int(reminders.sendHour, base.reminders.sendHour),
      businessDaysOnly: bool(reminders.businessDaysOnly, base.reminders.businessDaysOnly),
      // The saved lists with the defaults of the years the admin did not edit (new years, corrected years).
      ...withCalendarDefaults({ holidays: list(reminders.holidays, base.reminders.holidays, textItem), workingWeekends: list(reminders.workingWeekends, base.reminders.workingWeekends, textItem) }),
      minAmount: money(reminders.minAmount, base.reminders.minAmount),
      groupByClient: bool(reminders.groupByClient, base.reminders.groupByClient),
      companyOverrides: list(reminders.companyOverrides, base.reminders.companyOverrides, companyOverride),
      escalationUserIds: list(reminders.escalationUserIds, base.reminders.escalationUserIds, intItem),
    },
    processes: processSettings(raw.processes, base.processes),
    journal: {
      entityTypeId: idOrNull(record(raw.journal).entityTypeId, base.journal.entityTypeId),
      keepDays: int(record(raw.journal).keepDays, base.journal.keepDays),
    },
    testMode: bool(raw.testMode, base.testMode),
  }
}

/**
 * Reads the settings from the app options (`APP_OPTIONS` of the frame's init data, or
 * `app.option.get`): parses the JSON document under `SETTINGS_OPTION`, migrates it from its
 * `schemaVersion` and fills what is missing with `defaultSettings()`. Never throws: nothing or
 * garbage stored gives the defaults.
 */
export function readStoredSettings(appOptions: Readonly<Record<string, unknown>> | null | undefined): StoredSettings {
  const raw = parseDocument(appOptions?.[SETTINGS_OPTION])
  if (!raw)
    return { settings: defaultSettings(), storedVersion: null, newerThanApp: false }
  const storedVersion = typeof raw.schemaVersion === 'number' && Number.isInteger(raw.schemaVersion) && raw.schemaVersion > 0 ? raw.schemaVersion : 1
  const migrated = storedVersion < SETTINGS_SCHEMA_VERSION ? migrateSettingsDocument(raw, storedVersion) : raw
  return { settings: settingsFromDocument(migrated), storedVersion, newerThanApp: storedVersion > SETTINGS_SCHEMA_VERSION }
}

/** The settings in the app options, migrated and completed with defaults (see `readStoredSettings`). */
export function readSettings(appOptions: Readonly<Record<string, unknown>> | null | undefined): InvoiceDeskSettings {
  return readStoredSettings(appOptions).settings
}

/** The app-option value to store: the settings document as JSON. */
export function serializeSettings(settings: InvoiceDeskSettings): string {
  return JSON.stringify(settings)
}
