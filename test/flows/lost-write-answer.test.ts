// A write whose answer was lost (the portal ran it, the connection dropped) is not "refused": the
// flows keep their claim, say "unknown" rather than "not recorded", and look before writing again.
// Against the emulator over https with the real SDK.
import type { InvoiceActionEnvironment } from '../../src/flows/mark-invoice.ts'
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import { describe, expect, it } from 'vitest'
import { useHookEmulator } from '../support/hook-emulator.ts'
import { parseRecord } from '../../src/domain/collection/collection-record.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { loadDealInvoices } from '../../src/flows/load-deal-invoices.ts'
import { markInvoicePaid } from '../../src/flows/mark-invoice.ts'
import { paymentFacts } from '../../src/flows/payment-facts.ts'
import { PortalError } from '../../src/portal/portal-error.ts'

const settings: InvoiceDeskSettings = (() => {
  const base = defaultSettings()
  return { ...base, deal: { ...base.deal, stageAfterPaid: 'WON' }, notifications: { ...base.notifications, onPayment: { roles: ['responsible'], userIds: [] } } }
})()

describe('a lost answer to a payment\'s closing batch (flows/mark-invoice, flows/payment-facts)', () => {
  const hook = useHookEmulator()
  const portal = hook.portal
  const invoice = (id: number) => hook.emulator.state.entities[31]!.byId.get(id)!
  const recordsOn = (id: number) => hook.emulator.state.journal
    .filter(e => e.kind === 'timeline' && (e.details.owner as { typeId?: number, id?: number } | undefined)?.typeId === 31 && (e.details.owner as { id?: number }).id === id)
    .map(e => parseRecord(String(e.details.text)))
  const claimReleases = (id: number) => recordsOn(id).filter(record => record?.kind === 'paymentClaim' && record.status === 'release')
  const payments = (id: number) => recordsOn(id).filter(record => record?.kind === 'payment')

  /** A sent demo invoice with a deal and a responsible. */
  function openInvoice(): { id: number, dealId: number } {
    const item = hook.emulator.state.entities[31]!.items.find(entry => entry.stageId === 'DT31_5:S' && entry.parentId2 && entry.assignedById)!
    return { id: Number(item.id), dealId: Number(item.parentId2) }
  }

  it('«paid» whose answer was lost: unknown (not "not recorded"), the claim is kept, and a retry reads first and writes nothing twice', async () => {
    const target = openInvoice()
    const overview = await loadDealInvoices(portal(), target.dealId, new Date(), 'Europe/Moscow')
    const env: InvoiceActionEnvironment = { today: overview.today, locale: 'ru' }
    const input = { invoiceId: target.id, paidOn: env.today, stages: overview.stages }
    // The closing batch is the first request of the payment that moves a stage: the portal runs it, the answer is lost.
    hook.emulator.engine.faults.add({ method: 'crm.item.update', times: 1, kind: 'drop-after', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Injected' })

    const lost = await markInvoicePaid(portal(), input, settings, env)
    expect(lost).toMatchObject({ status: 'failed', failedPart: 'invoiceStage' })
    const error = (lost as { error: unknown }).error
    expect(error).toBeInstanceOf(PortalError)
    expect(error).toMatchObject({ status: 0, retrySafe: false })
    // In Bitrix24 the invoice is paid and its payment recorded …
    expect(invoice(target.id).stageId).toBe('DT31_5:P')
    expect(payments(target.id)).toHaveLength(1)
    // … so the screen may not say "not recorded": it does not know.
    expect(paymentFacts(lost).recorded).toBeNull()
    // Nor may the claim be released as if nothing had been written.
    expect(claimReleases(target.id)).toHaveLength(0)

    // The retry reads the invoice first, finds it paid and writes nothing.
    const again = await markInvoicePaid(portal(), input, settings, env)
    expect(again).toMatchObject({ status: 'unchanged' })
    expect(payments(target.id)).toHaveLength(1)
  })

  it('«paid» the portal refused outright: not recorded, and the claim is released at once', async () => {
    const target = openInvoice()
    const overview = await loadDealInvoices(portal(), target.dealId, new Date(), 'Europe/Moscow')
    const env: InvoiceActionEnvironment = { today: overview.today, locale: 'ru' }
    hook.emulator.engine.faults.add({ method: 'crm.item.update', times: 1, kind: 'error', status: 400, code: 'ACCESS_DENIED', description: 'Access denied' })

    const refused = await markInvoicePaid(portal(), { invoiceId: target.id, paidOn: env.today, stages: overview.stages }, settings, env)
    expect(refused).toMatchObject({ status: 'failed', failedPart: 'invoiceStage', error: { retrySafe: true } })
    expect(paymentFacts(refused).recorded).toBe(false)
    expect(invoice(target.id).stageId).toBe('DT31_5:S')
    expect(payments(target.id)).toHaveLength(0)
    expect(claimReleases(target.id)).toHaveLength(1)
  })
})
