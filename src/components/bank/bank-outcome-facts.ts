import type { MessageKey } from '../../i18n/messages.ts'
import type { PaymentFacts } from '../../flows/payment-facts.ts'

/** One sentence of an allocation's outcome: its message and values. */
export interface FactLine {
  readonly key: MessageKey
  readonly values?: Readonly<Record<string, string>>
  /** The sentence reports something not done. */
  readonly warning: boolean
}

/** The part names the failure sentence uses for the parts after the record (`invoice.part.*`). */
const PART_KEY: Readonly<Record<string, MessageKey>> = {
  notify: 'invoice.part.notify',
  dealLog: 'invoice.part.dealLog',
}

/**
 * What recording one allocation did and did not do, in order: the record, the invoice's stage,
 * Bitrix24's own payment, the deal's stage, anything else that failed — with the portal's words.
 * Empty when nothing was recorded for a reason the status badge already says.
 */
export function outcomeFactLines(facts: PaymentFacts): FactLine[] {
  const reason = facts.problem?.message ?? ''
  const lines: FactLine[] = []
  if (facts.recorded === null)
    return [{ key: 'bank.fact.recordUnknown', values: { reason }, warning: true }]
  if (facts.recorded === false)
    return facts.problem ? [{ key: 'bank.fact.notRecorded', values: { reason }, warning: true }] : []
  lines.push({ key: 'bank.fact.recorded', warning: false })
  if (facts.invoicePaid)
    lines.push({ key: 'bank.fact.invoicePaid', warning: false })
  if (facts.invoicePayment !== 'none')
    lines.push({ key: `bank.fact.invoicePayment.${facts.invoicePayment}`, values: { reason }, warning: facts.invoicePayment !== 'created' })
  if (facts.dealStage !== 'none' && facts.dealStage !== 'notConfigured' && facts.dealStage !== 'noDeal')
    lines.push({ key: `bank.fact.dealStage.${facts.dealStage}`, values: { reason }, warning: facts.dealStage !== 'moved' })
  const part = facts.problem ? PART_KEY[facts.problem.part] : undefined
  if (part)
    lines.push({ key: 'bank.fact.otherFailed', values: { part, reason }, warning: true })
  return lines
}
