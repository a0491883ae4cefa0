/**
 * crm.documentgenerator.template.list (R: api-reference/crm/document-generator/templates/
 * crm-document-generator-template-list.md): templates come back as an OBJECT keyed by id, 50 a page,
 * `isDeleted = N` unless asked, `entityTypeId` filter matches any of a template's bindings.
 * "Who can execute the method: a user with "modify" access permission for document generator
 * templates": others get the page's empty-code error "You do not have permissions to modify templates" (400).
 */
import { findUser, type DocumentTemplate } from '../data/portal-state.ts'
import { RestError } from '../rest/rest-error.ts'
import type { MethodDefinition, Params } from '../rest/method-types.ts'

const PAGE = 50

function asList(value: unknown): string[] {
  if (value === undefined || value === null) return []
  return (Array.isArray(value) ? value : [value]).map(String)
}

function matches(template: DocumentTemplate, filter: Record<string, unknown>): boolean {
  const deleted = filter.isDeleted === undefined ? 'N' : String(filter.isDeleted)
  if (template.isDeleted !== deleted) return false
  const types = asList(filter.entityTypeId ?? filter['@entityTypeId'])
  if (types.length > 0 && !template.entityTypeId.some(type => types.includes(type))) return false
  const ids = asList(filter.id ?? filter['@id'])
  if (ids.length > 0 && !ids.includes(template.id)) return false
  if (filter.active !== undefined && template.active !== String(filter.active)) return false
  return true
}

function view(template: DocumentTemplate): Record<string, unknown> {
  return {
    id: template.id,
    name: template.name,
    region: template.region,
    active: template.active,
    code: template.code,
    download: `/bitrix/services/main/ajax.php?action=crm.documentgenerator.template.download&SITE_ID=s1&id=${template.id}`,
    downloadMachine: `/rest/crm.documentgenerator.template.download.json?id=${template.id}`,
    users: [...template.users],
    entityTypeId: [...template.entityTypeId],
  }
}

const list: MethodDefinition = {
  scope: 'crm',
  handler(params: Params, ctx) {
    if (!findUser(ctx.state, ctx.userId)?.canModifyDocumentTemplates) throw new RestError(400, '', 'You do not have permissions to modify templates')
    const filter = params.filter && typeof params.filter === 'object' ? params.filter as Record<string, unknown> : {}
    const found = ctx.state.documentTemplates.filter(template => matches(template, filter))
      .sort((a, b) => a.sort - b.sort || Number(a.id) - Number(b.id))
    const start = Math.max(0, Number(params.start ?? 0) || 0)
    const page = found.slice(start, start + PAGE)
    const templates = Object.fromEntries(page.map(template => [template.id, view(template)]))
    const next = start + PAGE < found.length ? start + PAGE : undefined
    return { result: { templates }, total: found.length, next, rowsTouched: found.length }
  },
}

export const crmDocumentTemplateMethods: Record<string, MethodDefinition> = {
  'crm.documentgenerator.template.list': list,
}
