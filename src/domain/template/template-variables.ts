/**
 * The variables an e-mail template may use, written `{invoice.number}` in the template text.
 * Values are filled by whoever renders (issue-and-send, reminders, the settings preview), already
 * formatted for the reader (sums with currency, dates in the client's language).
 */
export const TEMPLATE_VARIABLES = [
  'invoice.number',
  'invoice.sum',
  'invoice.balance',
  'invoice.issueDate',
  'invoice.dueDate',
  'invoice.daysOverdue',
  'client.name',
  'deal.title',
  'manager.name',
  'manager.email',
  'manager.phone',
  'company.name',
  'payment.link',
  'document.link',
] as const

export type TemplateVariable = typeof TEMPLATE_VARIABLES[number]

/** Values for a render; a variable without a value renders as an empty string. */
export type TemplateValues = Partial<Readonly<Record<TemplateVariable, string>>>

/** `{name}` where name is letters, digits, dots and underscores, starting with a letter. */
const PLACEHOLDER = /\{([a-z][\w.]*)\}/gi

/** The same pattern for `String.split`, which keeps the captured names at odd indexes. */
export const PLACEHOLDER_SPLIT = /\{([a-z][\w.]*)\}/i

const KNOWN: ReadonlySet<string> = new Set(TEMPLATE_VARIABLES)

/** Whether `name` is one of `TEMPLATE_VARIABLES`. */
export function isTemplateVariable(name: string): name is TemplateVariable {
  return KNOWN.has(name)
}

/** The distinct placeholder names used in `template`, in order of first use, known or not. */
export function placeholdersIn(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map(match => match[1]!))]
}

/** Placeholder names in `template` that are not template variables (typos such as `{invoice.numbr}`). */
export function unknownPlaceholders(template: string): string[] {
  return placeholdersIn(template).filter(name => !isTemplateVariable(name))
}

/** Replaces every `{variable}` through `valueOf`; unknown placeholders stay as written. */
export function replacePlaceholders(template: string, valueOf: (name: TemplateVariable) => string): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (isTemplateVariable(name) ? valueOf(name) : whole))
}
