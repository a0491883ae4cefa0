/** The `/emulator/*` control API the host page and tests use (see ../CONTRACT.md). */
import { ACCESS_TOKEN_SECONDS } from '../core/tokens.ts'
import { approveWorkflow } from '../data/bizproc-state.ts'
import { parseDataSetName } from '../data/generate.ts'
import { findUser, type CrmItem, type JournalKind, type PortalState } from '../data/portal-state.ts'
import { PORTAL_PLANS, type PortalEngine, type PortalPlan } from '../engine.ts'
import type { FaultKind } from '../limits/faults.ts'
import { stateFingerprint } from './state-fingerprint.ts'

export const MEMBER_ID = 'a223c6b3710f85df22e9377d6c4f7553'

export interface PortalAddress { origin: string, webhookUrl: string, latencyMs: number }

export interface ControlReply { status: number, body: unknown }

const ok = (body: unknown): ControlReply => ({ status: 200, body })
const fail = (status: number, error: string, description: string): ControlReply => ({ status, body: { error, error_description: description } })

const JOURNAL_KINDS: readonly JournalKind[] = ['outbox', 'notifications', 'tasks', 'timeline', 'workflows', 'triggers', 'events', 'robots']

function domainOf(origin: string): string {
  return new URL(origin).host
}

function userName(state: PortalState, id: unknown): string {
  const user = findUser(state, Number(id))
  return user ? `${user.name} ${user.lastName}` : ''
}

function stageName(state: PortalState, stageId: unknown): string {
  return state.statuses.find(status => status.STATUS_ID === stageId)?.NAME ?? String(stageId ?? '')
}

function clientName(state: PortalState, deal: CrmItem): string {
  const company = state.entities[4].byId.get(Number(deal.companyId))
  if (company) return String(company.title)
  const contact = state.entities[3].byId.get(Number(deal.contactId))
  return contact ? `${String(contact.name)} ${String(contact.lastName)}`.trim() : ''
}

function dealSummary(state: PortalState, deal: CrmItem): Record<string, unknown> {
  return {
    id: deal.id, title: deal.title, stageId: deal.stageId, stageName: stageName(state, deal.stageId), opportunity: deal.opportunity,
    currencyId: deal.currencyId, clientName: clientName(state, deal), assignedById: deal.assignedById, assignedName: userName(state, deal.assignedById),
  }
}

function visibleDeals(state: PortalState, userId: number): CrmItem[] {
  const user = findUser(state, userId)
  const deals = state.entities[2].items
  return user?.role === 'manager' ? deals.filter(deal => Number(deal.assignedById) === userId) : deals
}

function bodyObject(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? body as Record<string, unknown> : {}
}

export function handleControl(engine: PortalEngine, address: PortalAddress, method: string, path: string, query: URLSearchParams, rawBody: unknown): ControlReply {
  const body = bodyObject(rawBody)
  const state = engine.state
  const route = `${method} ${path}`
  switch (route) {
    case 'GET /emulator/info':
      return ok({
        origin: address.origin, domain: domainOf(address.origin), protocol: address.origin.startsWith('https:') ? 1 : 0, memberId: MEMBER_ID,
        appUrl: engine.settings.appUrl, webhookUrl: address.webhookUrl, limits: engine.settings.limits, latencyMs: address.latencyMs,
        now: new Date(engine.clock.now()).toISOString(), timeZone: 'Europe/Moscow', installed: state.app.installed,
        users: state.users.map(user => ({ id: user.id, name: user.name, lastName: user.lastName, email: user.email, role: user.role, isAdmin: user.isAdmin, canModifyDocumentTemplates: user.canModifyDocumentTemplates, timeZone: user.timeZone, crmMailbox: user.crmMailbox })),
      })
    case 'POST /emulator/frame-session': {
      const user = findUser(state, Number(body.userId ?? 1))
      if (!user) return fail(400, 'USER_NOT_FOUND', 'No such user')
      const token = engine.tokens.issue(user.id)
      const notInstalled = !state.app.installed
      return ok({
        LANG: typeof body.lang === 'string' ? body.lang : 'ru', DOMAIN: domainOf(address.origin), PROTOCOL: address.origin.startsWith('https:') ? 1 : 0,
        PATH: '/rest/', AUTH_ID: token.accessToken, AUTH_EXPIRES: String(ACCESS_TOKEN_SECONDS), REFRESH_ID: token.refreshToken, MEMBER_ID,
        FIRST_RUN: notInstalled, IS_ADMIN: user.isAdmin, INSTALL: notInstalled, USER_OPTIONS: { ...(state.userOptions.get(user.id) ?? {}) },
        APP_OPTIONS: { ...state.app.options }, PLACEMENT: typeof body.placement === 'string' ? body.placement : 'DEFAULT',
        PLACEMENT_OPTIONS: bodyObject(body.placementOptions),
      })
    }
    case 'POST /emulator/refresh-auth': {
      const token = engine.tokens.refresh(String(body.refreshToken ?? ''))
      if (!token) return fail(401, 'invalid_grant', 'Invalid refresh token')
      return ok({ AUTH_ID: token.accessToken, REFRESH_ID: token.refreshToken, AUTH_EXPIRES: String(ACCESS_TOKEN_SECONDS) })
    }
    case 'POST /emulator/app-options': {
      const user = findUser(state, Number(body.userId))
      if (!user?.isAdmin) return fail(403, 'ACCESS_DENIED', 'Administrator authorization required')
      Object.assign(state.app.options, bodyObject(body.options))
      return ok({ ok: true })
    }
    case 'POST /emulator/user-options': {
      const userId = Number(body.userId)
      if (!findUser(state, userId)) return fail(400, 'USER_NOT_FOUND', 'No such user')
      state.userOptions.set(userId, { ...(state.userOptions.get(userId) ?? {}), ...bodyObject(body.options) })
      return ok({ ok: true })
    }
    case 'POST /emulator/install-finish':
      state.app.installed = true
      return ok({ installed: true })
    case 'GET /emulator/placements':
      return ok(state.app.placements.map(entry => ({ placement: entry.placement, handler: entry.handler, title: entry.title, description: entry.description, langAll: entry.langAll })))
    case 'GET /emulator/deals':
      return ok(visibleDeals(state, Number(query.get('userId') ?? 1)).map(deal => dealSummary(state, deal)))
    case 'GET /emulator/journal': {
      const kind = query.get('kind')
      if (kind !== null && !JOURNAL_KINDS.includes(kind as JournalKind)) return fail(400, 'INVALID_KIND', `kind must be one of ${JOURNAL_KINDS.join(', ')}`)
      return ok(state.journal.filter(entry => kind === null || entry.kind === kind).slice().reverse())
    }
    case 'GET /emulator/clock':
      return ok({ now: new Date(engine.clock.now()).toISOString() })
    case 'POST /emulator/clock': {
      const instant = Date.parse(String(body.now ?? ''))
      if (Number.isNaN(instant)) return fail(400, 'INVALID_DATE', 'now must be an ISO date')
      engine.clock.set(new Date(instant))
      return ok({ now: new Date(engine.clock.now()).toISOString() })
    }
    case 'POST /emulator/reset': {
      try {
        engine.reset(parseDataSetName(String(body.data ?? engine.settings.data)))
      }
      catch (error) {
        return fail(400, 'INVALID_DATA', error instanceof Error ? error.message : String(error))
      }
      return ok({ ok: true })
    }
    case 'POST /emulator/faults': {
      const kind = String(body.kind ?? 'error') as FaultKind
      if (!['error', 'timeout', 'drop', 'drop-after'].includes(kind) || typeof body.method !== 'string') return fail(400, 'INVALID_FAULT', 'method and kind (error|timeout|drop|drop-after) required')
      engine.faults.add({
        method: body.method.toLowerCase(), times: Number(body.times ?? 1), kind, status: Number(body.status ?? 500),
        code: String(body.code ?? 'INTERNAL_SERVER_ERROR'), description: String(body.description ?? 'Internal server error'),
      })
      return ok({ ok: true })
    }
    case 'DELETE /emulator/faults':
      engine.faults.clear()
      return ok({ ok: true })
    case 'POST /emulator/expire-tokens':
      engine.tokens.expireAll()
      return ok({ ok: true })
    case 'GET /emulator/docgen':
      return ok({ ...engine.docgen })
    case 'POST /emulator/docgen': {
      if (body.pdfDelayMs !== undefined) {
        const delay = Number(body.pdfDelayMs)
        if (!Number.isFinite(delay) || delay < 0) return fail(400, 'INVALID_DELAY', 'pdfDelayMs must be a number >= 0')
        engine.docgen.pdfDelayMs = delay
      }
      if (body.failNext !== undefined) engine.docgen.failNext = body.failNext === true || body.failNext === 'true' || body.failNext === 1
      return ok({ ...engine.docgen })
    }
    case 'GET /emulator/plan':
      return ok({ plan: engine.plan })
    case 'POST /emulator/plan': {
      const plan = String(body.plan ?? '') as PortalPlan
      if (!PORTAL_PLANS.includes(plan)) return fail(400, 'INVALID_PLAN', `plan must be ${PORTAL_PLANS.join(' or ')}`)
      engine.plan = plan
      return ok({ plan })
    }
    case 'POST /emulator/bizproc/approve': {
      const approved = approveWorkflow(state, engine.clock.now(), String(body.workflowId ?? ''), Number(body.userId ?? 1))
      return approved.ok ? ok({ ok: true, workflowId: approved.instance.ID, status: approved.instance.status }) : fail(approved.status, approved.error, approved.description)
    }
    case 'GET /emulator/state-fingerprint':
      return ok({ fingerprint: stateFingerprint(state) })
    case 'GET /emulator/stats':
      return ok(engine.stats)
    case 'POST /emulator/stats/reset':
      engine.resetStats()
      return ok({ ok: true })
  }
  const dealMatch = /^\/emulator\/deals\/(\d+)$/.exec(path)
  if (method === 'GET' && dealMatch) {
    const deal = state.entities[2].byId.get(Number(dealMatch[1]))
    if (!deal) return fail(404, 'NOT_FOUND', 'Deal not found')
    const invoices = state.entities[31].items.filter(invoice => Number(invoice.parentId2) === deal.id).map(invoice => ({
      id: invoice.id, accountNumber: invoice.accountNumber, title: invoice.title, opportunity: invoice.opportunity,
      currencyId: invoice.currencyId, stageId: invoice.stageId, stageName: stageName(state, invoice.stageId),
    }))
    return ok({ ...dealSummary(state, deal), companyId: deal.companyId, contactId: deal.contactId, invoices })
  }
  return fail(404, 'NOT_FOUND', `Unknown control call ${route}`)
}
