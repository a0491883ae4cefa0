import type { SettingsIssue } from '../../domain/settings/validate-settings.ts'
import type { MessageKey } from '../../i18n/messages.ts'
import type { Translator } from '../../i18n/translator.ts'
import { settingsSectionOf } from '../../domain/settings/settings-issue-text.ts'

/** «Настройки → Счёт, поле invoice.categoryId: …» and who fixes it, for one refused stored value. */
export function settingsIssueSentence(issue: SettingsIssue, t: Translator['t']): string {
  const section = settingsSectionOf(issue.path)
  const title = section === null ? '' : t(section === 'processes' ? 'bizproc.settings.title' : `settings.section.${section}` as MessageKey)
  const reason = t(`settings.error.${issue.code}` as MessageKey, { ...issue.params })
  return t('issue.refusal.settingsInvalid', { section: title, field: issue.path, reason })
}
