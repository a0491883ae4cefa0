import type { TemplateValues, TemplateVariable } from './template-variables.ts'
import { isTemplateVariable, PLACEHOLDER_SPLIT, replacePlaceholders } from './template-variables.ts'

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, char => HTML_ESCAPES[char]!)
}

/** Variables whose value is a URL and becomes a link in HTML. */
const LINK_VARIABLES: ReadonlySet<TemplateVariable> = new Set(['payment.link', 'document.link'])

function linkOrText(name: TemplateVariable, value: string): string {
  const escaped = escapeHtml(value)
  // Only http(s) URLs become links: a `javascript:` value stays inert text.
  return LINK_VARIABLES.has(name) && /^https?:\/\//i.test(value) ? `<a href="${escaped}">${escaped}</a>` : escaped
}

/**
 * The template without the lines whose link variable has no value: «Оплатить онлайн: {payment.link}»
 * with no link would leave a label pointing at nothing, so the whole line goes (with its line break).
 */
export function dropEmptyLinkLines(template: string, values: TemplateValues): string {
  const empty = [...LINK_VARIABLES].filter(name => (values[name] ?? '').trim() === '')
  if (empty.length === 0)
    return template
  return template.split(/(?<=\n)/).filter(line => !empty.some(name => line.includes(`{${name}}`))).join('').replace(/\r?\n$/, template.endsWith('\n') ? '\n' : '')
}

/**
 * Renders a plain-text template (an e-mail subject) with its variables filled in. No escaping:
 * the result is text, to be shown as text. Unknown placeholders stay as written; validation
 * refuses them before a template is ever saved.
 */
export function renderTemplateText(template: string, values: TemplateValues): string {
  return replacePlaceholders(dropEmptyLinkLines(template, values), name => values[name] ?? '')
}

/**
 * Renders a plain-text template (an e-mail body) as HTML: the admin's text and every variable value
 * are HTML-escaped (a client named `<script>` shows as text), line breaks become `<br>`,
 * `{payment.link}` / `{document.link}` become links when their value is an http(s) URL, and a line
 * whose link has no value is left out (`dropEmptyLinkLines`).
 */
export function renderTemplateHtml(template: string, values: TemplateValues): string {
  // split() with a capturing group alternates text (even indexes) and placeholder names (odd).
  return dropEmptyLinkLines(template, values).split(PLACEHOLDER_SPLIT)
    .map((part, index) => {
      if (index % 2 === 0)
        return escapeHtml(part)
      return isTemplateVariable(part) ? linkOrText(part, values[part] ?? '') : escapeHtml(`{${part}}`)
    })
    .join('')
    .replace(/\r?\n/g, '<br>\n')
}

/**
 * Renders `template` as `'html'` (escaped, for e-mail bodies and the preview) or as `'text'`
 * (for subjects). Default `'html'`.
 */
export function renderTemplate(template: string, values: TemplateValues, format: 'html' | 'text' = 'html'): string {
  return format === 'html' ? renderTemplateHtml(template, values) : renderTemplateText(template, values)
}
