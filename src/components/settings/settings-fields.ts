import type { SettingsIssue } from '../../domain/settings/validate-settings.ts'
import type { MessageKey } from '../../i18n/messages.ts'
import type { Translator } from '../../i18n/translate.ts'
import type { Money } from '../../domain/money.ts'
import { moneyFromDecimal, moneyToDecimal } from '../../domain/money.ts'

/** The props every settings section takes besides its v-model. */
export interface SectionProps {
  /** Validation problems of the whole document; a section shows those under its fields. */
  issues: readonly SettingsIssue[]
  /** Read-only for non-admins. */
  disabled: boolean
}

/** The sentence for the first problem at `path` (exact match), or undefined when the field is fine. */
export function issueAt(issues: readonly SettingsIssue[], path: string, { t }: Translator): string | undefined {
  const issue = issues.find(entry => entry.path === path)
  return issue ? t(`settings.error.${issue.code}` as MessageKey, { ...issue.params }) : undefined
}

/** "a, b, c" for a list field. */
export function joinList(list: readonly string[]): string {
  return list.join(', ')
}

/** One entry per line, for a list too long for one line (dates). */
export function joinLines(list: readonly string[]): string {
  return list.join('\n')
}

/** A comma (or semicolon, or newline) separated field back to a list, without blanks. */
export function splitList(text: string): string[] {
  return text.split(/[,;\n]/).map(entry => entry.trim()).filter(entry => entry !== '')
}

/** An optional amount as the number typed in the field (major units). */
export function amountText(money: Money | null): number | undefined {
  return money ? moneyToDecimal(money) : undefined
}

/** The typed number back to money in `currency`; empty = no limit. */
export function amountOf(value: unknown, currency: string): Money | null {
  if (value === '' || value === null || value === undefined)
    return null
  return moneyFromDecimal(value as number | string, currency)
}
