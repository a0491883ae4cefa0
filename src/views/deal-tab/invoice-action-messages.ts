import type { MessageKey } from '../../i18n/messages.ts'
import type { Translator } from '../../i18n/translate.ts'
import type { ErrorDescription } from '../../i18n/describe-error.ts'
import type { RowActionResult } from '../../stores/invoice-actions.ts'
import type { ClosingOutcome } from '../../flows/closing-document.ts'
import { formatCalendarDate, formatMoney } from '../../domain/format.ts'
import { describeError } from '../../i18n/describe-error.ts'

/** An action that wrote or decided something: the sentence and the alert's colour. */
export interface ActionOutcome {
  readonly text: string
  readonly color: 'air-primary-success' | 'air-primary-warning'
}

type Outcome = Exclude<RowActionResult, { status: 'failed' }>

const success = (text: string): ActionOutcome => ({ text, color: 'air-primary-success' })
const warning = (text: string): ActionOutcome => ({ text, color: 'air-primary-warning' })

/** What became of the closing document of a B2B invoice paid in full (`flows/closing-document.ts`); null when nothing is news. */
function closingDocumentText(closing: ClosingOutcome | undefined, { t }: Translator): { text: string, warn: boolean } | null {
  switch (closing?.status) {
    case 'sent':
      return { text: t('invoice.action.closingSent', { to: closing.to }), warn: false }
    case 'failed':
      return { text: t('invoice.action.closingFailed'), warn: true }
    case 'unknown':
      return { text: t('invoice.action.closingUnknown'), warn: true }
    case 'skipped':
      return closing.reason === 'unconfirmed' || closing.reason === 'noEmail' ? { text: t(closing.reason === 'noEmail' ? 'invoice.action.closingNoEmail' : 'invoice.action.closingUnknown'), warn: true } : null
    default:
      return null
  }
}

function closingOutcome(result: Extract<Outcome, { action: 'markPaid' | 'cancel' }>, number: string, translator: Translator): ActionOutcome {
  const { t } = translator
  const paid = result.action === 'markPaid'
  if (result.status === 'done') {
    const waits = 'dealStage' in result && result.dealStage === 'otherInvoicesOpen' ? ` ${t('invoice.action.dealWaits')}` : ''
    const closing = 'closing' in result ? closingDocumentText(result.closing, translator) : null
    const text = `${t(paid ? 'invoice.action.paid' : 'invoice.action.cancelled', { number })}${waits}${closing ? ` ${closing.text}` : ''}`
    return closing?.warn ? warning(text) : success(text)
  }
  if (result.status === 'no-stage')
    return warning(t(paid ? 'invoice.action.noPaidStage' : 'invoice.action.noCancelStage', { number }))
  return warning(t(result.state.kind === 'paid' ? 'invoice.action.alreadyPaid' : 'invoice.action.alreadyCancelled', { number }))
}

function paymentOutcome(result: Extract<Outcome, { action: 'recordPayment' }>, number: string, { t, locale }: Translator): ActionOutcome {
  if (!('balance' in result))
    return warning(t(`invoice.action.${result.status}`, { number }))
  const balance = formatMoney(result.balance, locale)
  if (result.status === 'partial')
    return success(t('invoice.action.partial', { number, amount: formatMoney(result.payment, locale), balance }))
  return warning(t(`invoice.action.${result.status}`, { number, balance }))
}

function collectionOutcome(result: Extract<Outcome, { action: 'promise' | 'dispute' }>, number: string, { t, locale }: Translator): ActionOutcome {
  if (result.status === 'recorded') {
    if (result.action === 'dispute')
      return success(t(result.collection.dispute ? 'invoice.action.disputed' : 'invoice.action.disputeClosed', { number }))
    const on = result.collection.promisedOn
    return success(on ? t('invoice.action.promised', { number, date: formatCalendarDate(on, locale) }) : t('invoice.action.promiseCleared', { number }))
  }
  if (result.status === 'unchanged')
    return warning(t('invoice.action.closedNothing', { number }))
  const key: MessageKey = result.status === 'dateInvalid' ? 'invoice.action.promiseDateInvalid' : `invoice.action.${result.status}`
  return warning(t(key, { number }))
}

/** The sentence after a row action that did not fail; null for a failure (see `actionFailure`). */
export function actionOutcome(result: RowActionResult, translator: Translator): ActionOutcome | null {
  if (result.status === 'failed')
    return null
  const number = result.invoice.number || String(result.invoice.id)
  switch (result.action) {
    case 'markPaid':
    case 'cancel':
      return closingOutcome(result, number, translator)
    case 'recordPayment':
      return paymentOutcome(result, number, translator)
    default:
      return collectionOutcome(result, number, translator)
  }
}

const FAILED_TITLE = {
  markPaid: 'invoice.action.failedPaid',
  cancel: 'invoice.action.failedCancel',
  recordPayment: 'invoice.action.failedPayment',
  promise: 'invoice.action.failedPromise',
  dispute: 'invoice.action.failedDispute',
} as const satisfies Record<RowActionResult['action'], MessageKey>

/**
 * What failed, for `ErrorNotice`. After the invoice moved, or after the invoice's entry was
 * written, a retry would do nothing or record twice, so the notice names the part left undone and
 * offers no retry. When a payment's write got no answer, the notice asks to look before retrying.
 */
export function actionFailure(result: RowActionResult, translator: Translator): (ErrorDescription & { title: string, retryable: boolean }) | null {
  if (result.status !== 'failed')
    return null
  const { t } = translator
  const title = t(FAILED_TITLE[result.action])
  const described = describeError(result.error, translator)
  const written = 'invoiceMoved' in result ? result.invoiceMoved : result.recorded
  if (written === false || (written === null && result.action !== 'recordPayment'))
    return { title, ...described, retryable: true }
  if (written === null)
    return { title, description: `${t('invoice.action.recordUnknown')} ${described.description}`, detail: described.detail, retryable: false }
  const part = t(`invoice.part.${result.failedPart}` as MessageKey)
  const partly = 'invoiceMoved' in result ? 'invoice.action.partly' : 'invoice.action.recordedPartly'
  return { title, description: `${t(partly, { part })} ${described.description}`, detail: described.detail, retryable: false }
}
