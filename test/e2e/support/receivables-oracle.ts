/**
 * An independent receivables computation over the emulator's raw state, for the dashboard's e2e
 * test: written from the formulas the dashboard states, without the app's domain code.
 * Amounts in kopecks (cents); days as whole calendar days in the portal's zone (Moscow).
 */
import type { PortalState } from '../../emulator/data/portal-state.ts'

interface Row { id: number, status: 'draft' | 'open' | 'paid' | 'cancelled', currency: string, minor: number, issue: string, due: string, paidOn: string | null, client: string, responsible: number }

const day = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000

export function rawInvoices(state: PortalState): Row[] {
  const stages = state.statuses.filter(s => s.ENTITY_ID.startsWith('SMART_INVOICE_STAGE_'))
  const first = new Map<string, string>()
  for (const stage of [...stages].filter(s => !s.SEMANTICS).sort((a, b) => Number(a.SORT) - Number(b.SORT))) {
    if (!first.has(stage.ENTITY_ID))
      first.set(stage.ENTITY_ID, stage.STATUS_ID)
  }
  return state.entities[31].items.map((item) => {
    const stage = stages.find(s => s.STATUS_ID === item.stageId)
    const status = stage?.SEMANTICS === 'S' ? 'paid' : stage?.SEMANTICS === 'F' ? 'cancelled' : first.get(stage?.ENTITY_ID ?? '') === item.stageId ? 'draft' : 'open'
    const company = Number(item.companyId)
    return {
      id: item.id,
      status,
      currency: String(item.currencyId),
      minor: Math.round(Number(item.opportunity) * 100),
      issue: String(item.begindate).slice(0, 10),
      due: String(item.closedate).slice(0, 10),
      paidOn: status === 'paid' ? String(item.movedTime).slice(0, 10) : null,
      client: company > 0 ? `company:${company}` : `contact:${Number(item.contactId)}`,
      responsible: Number(item.assignedById),
    }
  })
}

/** What the dashboard must show for one currency on `today`, with the «last 12 months» period. */
export function expectedFigures(rows: Row[], currency: string, today: string) {
  const t = day(today)
  const [y, m] = today.split('-').map(Number) as [number, number]
  const from = Date.UTC(y, m - 1 - 11, 1) / 86_400_000
  const mine = rows.filter(r => r.currency === currency && (r.status === 'open' || r.status === 'paid'))
  const owedOn = (r: Row, d: number) => (day(r.issue) > d || (r.paidOn !== null && day(r.paidOn) <= d) ? 0 : r.minor)
  const overdueDays = (r: Row, d: number) => Math.max(0, d - day(r.due))
  const at = (d: number) => {
    let outstanding = 0
    let overdue = 0
    for (const r of mine) {
      outstanding += owedOn(r, d)
      if (overdueDays(r, d) > 0)
        overdue += owedOn(r, d)
    }
    return { outstanding, overdue, current: outstanding - overdue }
  }
  const bucketOf = (days: number) => (days === 0 ? 'current' : days <= 30 ? 'd1to30' : days <= 60 ? 'd31to60' : days <= 90 ? 'd61to90' : 'd90plus')
  const aging: Record<string, { count: number, sum: number }> = {}
  for (const bucket of ['current', 'd1to30', 'd31to60', 'd61to90', 'd90plus'])
    aging[bucket] = { count: 0, sum: 0 }
  for (const r of mine.filter(r => owedOn(r, t) > 0)) {
    aging[bucketOf(overdueDays(r, t))]!.count++
    aging[bucketOf(overdueDays(r, t))]!.sum += r.minor
  }
  const issued = mine.filter(r => day(r.issue) >= from && day(r.issue) <= t)
  const issuedSum = issued.reduce((s, r) => s + r.minor, 0)
  const paid = issued.filter(r => r.paidOn !== null && day(r.paidOn) <= t)
  const paidInPeriod = mine.filter(r => r.paidOn !== null && day(r.paidOn) >= from && day(r.paidOn) <= t)
  const now = at(t)
  const opening = at(from - 1)
  const debtors = new Map<string, number>()
  for (const r of mine.filter(r => owedOn(r, t) > 0 && overdueDays(r, t) > 0))
    debtors.set(r.client, (debtors.get(r.client) ?? 0) + r.minor)
  const topDebtor = [...debtors.entries()].sort((a, b) => b[1] - a[1])[0]
  return {
    outstanding: now.outstanding,
    outstandingCount: mine.filter(r => owedOn(r, t) > 0).length,
    overdue: now.overdue,
    aging,
    issuedCount: issued.length,
    issuedSum,
    paidByCount: issued.length ? (paid.length / issued.length) * 100 : null,
    paidBySum: issuedSum ? (paid.reduce((s, r) => s + r.minor, 0) / issuedSum) * 100 : null,
    daysToPay: paidInPeriod.length ? paidInPeriod.reduce((s, r) => s + Math.max(0, day(r.paidOn!) - day(r.issue)), 0) / paidInPeriod.length : null,
    dso: issuedSum ? (now.outstanding / issuedSum) * (t - from + 1) : null,
    cei: (opening.outstanding + issuedSum - now.current) > 0 ? ((opening.outstanding + issuedSum - now.outstanding) / (opening.outstanding + issuedSum - now.current)) * 100 : null,
    topDebtor: topDebtor ? { client: topDebtor[0], overdue: topDebtor[1] } : null,
    /** Ids of the invoices in an aging bucket. */
    bucketIds: (bucket: string) => mine.filter(r => owedOn(r, t) > 0 && bucketOf(overdueDays(r, t)) === bucket).map(r => r.id),
  }
}

/** The portal's calendar day (Moscow, UTC+3, no DST) for an emulator clock reading. */
export function portalToday(nowIso: string): string {
  return new Date(Date.parse(nowIso) + 3 * 3_600_000).toISOString().slice(0, 10)
}
