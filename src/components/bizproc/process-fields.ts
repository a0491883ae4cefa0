import type { ProcessTemplate } from '../../domain/bizproc/process-template.ts'
import type { ProcessDocumentType, ProcessStart } from '../../domain/settings/settings.ts'

/** A template in a select: one key for its document type and id (`deal:1`). */
export function templateKey(document: ProcessDocumentType, templateId: number): string {
  return `${document}:${templateId}`
}

/** `deal:1` back to its parts; null for anything else. */
export function parseTemplateKey(key: string): { document: ProcessDocumentType, templateId: number } | null {
  const match = /^(deal|invoice):(\d+)$/.exec(key)
  return match ? { document: match[1] as ProcessDocumentType, templateId: Number(match[2]) } : null
}

/** The portal's templates plus chosen ones it did not list (non-admins see no list), by key. */
export function templateChoices(templates: readonly ProcessTemplate[], chosen: readonly Pick<ProcessStart, 'templateId' | 'document' | 'name'>[]): Array<{ key: string, name: string, document: ProcessDocumentType }> {
  const listed = templates.map(entry => ({ key: templateKey(entry.document, entry.id), name: entry.name, document: entry.document }))
  const extra = chosen
    .filter(start => !listed.some(entry => entry.key === templateKey(start.document, start.templateId)))
    .map(start => ({ key: templateKey(start.document, start.templateId), name: start.name || `#${start.templateId}`, document: start.document }))
  return [...listed, ...extra]
}

/** Parameters as lines `id=value`. */
export function parametersText(parameters: Readonly<Record<string, string>>): string {
  return Object.entries(parameters).map(([id, value]) => `${id}=${value}`).join('\n')
}

/** Lines `id=value` back to parameters; lines without `=` or an id are dropped. */
export function parseParameters(text: string): Record<string, string> {
  const entries = text.split('\n').map(line => line.trim()).filter(Boolean).flatMap((line) => {
    const at = line.indexOf('=')
    return at > 0 ? [[line.slice(0, at).trim(), line.slice(at + 1).trim()] as const] : []
  })
  return Object.fromEntries(entries)
}

/** The defaults a template declares for its parameters, to prefill a new choice. */
export function defaultParameters(template: ProcessTemplate | undefined): Record<string, string> {
  return Object.fromEntries((template?.parameters ?? []).filter(entry => entry.defaultValue !== '').map(entry => [entry.id, entry.defaultValue]))
}
