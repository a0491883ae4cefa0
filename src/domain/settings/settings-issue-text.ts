import type { SettingsIssue, SettingsIssueCode } from './validate-settings.ts'

/** The settings page's sections, by the first part of an issue's path. */
export type SettingsSection = 'invoice' | 'deal' | 'email' | 'notifications' | 'reminders' | 'processes' | 'journal'

const SECTIONS: Readonly<Record<string, SettingsSection>> = {
  invoice: 'invoice', deal: 'deal', email: 'email', notifications: 'notifications', reminders: 'reminders', processes: 'processes', journal: 'journal', testMode: 'journal',
}

/** The section of the settings page where an administrator fixes `path`; null = the document as a whole. */
export function settingsSectionOf(path: string): SettingsSection | null {
  return SECTIONS[path.split('.')[0] ?? ''] ?? null
}

/** English section titles, as the settings page shows them in English. */
const SECTION_TITLES: Readonly<Record<SettingsSection, string>> = {
  invoice: 'Invoice', deal: 'Deal', email: 'E-mail templates', notifications: 'Notifications and tasks', reminders: 'Reminders', processes: 'Business processes', journal: 'Test mode and journal',
}

type Params = Readonly<Record<string, string | number>>
const REASONS: Readonly<Record<SettingsIssueCode, (p: Params) => string>> = {
  outOfRange: p => `a whole number from ${p.min} to ${p.max}`,
  stageMissing: p => `a stage that no longer exists in the portal${p.id ? ` (${p.id})` : ''}`,
  pipelineMissing: () => 'a pipeline that no longer exists in the portal',
  templateMissing: () => 'a template that no longer exists in the portal',
  companyMissing: () => 'a company that does not exist in the portal',
  userMissing: () => 'a person who no longer exists in the portal',
  subjectEmpty: () => 'empty',
  bodyEmpty: () => 'empty',
  titleEmpty: () => 'empty',
  unknownVariable: p => `unknown variable ${p.name}`,
  emailInvalid: p => `not an e-mail address: ${p.value}`,
  dateInvalid: p => `not a date: ${p.value}`,
  amountNegative: () => 'a negative amount',
  duplicate: () => 'repeated',
  senderNameInvalid: () => 'a sender name that is empty or has < > "',
  senderAddressInvalid: p => `not a valid sender address: ${p.value}`,
  tooMany: p => `more than ${p.max}`,
  tooLong: p => `longer than ${p.max} characters`,
  tooLarge: p => `larger than ${p.maxKb} kB`,
  unbalancedBrace: () => 'a «{» that opens no variable',
  notAnObject: () => 'not a settings document',
  fieldMissing: p => `a deal field that no longer exists in the portal (${p.code})`,
  newerSchema: p => `written by a newer version of the app (${p.version}; this version reads up to ${p.supported})`,
}

/**
 * One line for a person reading a log (the runner, a server): the field, what is wrong, and who
 * fixes it where — `reminders.sendHour: a whole number from 0 to 23. An administrator fixes it in
 * Settings → Reminders.`
 */
export function settingsIssueLine(issue: SettingsIssue): string {
  const section = settingsSectionOf(issue.path)
  const where = section
    ? `An administrator fixes it in Settings → ${SECTION_TITLES[section]}.`
    : 'An administrator fixes it in Settings: save them there (and download the file again for the runner).'
  return `${issue.path}: ${REASONS[issue.code](issue.params ?? {})}. ${where}`
}
