import type { InvoiceActionResult } from '../../flows/mark-invoice.ts'
import type { MessageKey } from '../../i18n/messages.ts'
import type { Translator } from '../../i18n/translate.ts'
import type { ErrorDescription } from '../../i18n/describe-error.ts'
import { describeError } from '../../i18n/describe-error.ts'

/** An action that wrote or decided something: the sentence and the alert's colour. */
export interface ActionOutcome {
  readonly text: string
  readonly color: 'air-primary-success' | 'air-primary-warning'
}

/** The sentence after a row action that did not fail; null for a failure (see `actionFailure`). */
export function actionOutcome(result: InvoiceActionResult, { t }: Translator): ActionOutcome | null {
  if (result.status === 'failed')
    return null
  const number = result.invoice.number || String(result.invoice.id)
  const paid = result.action === 'markPaid'
  if (result.status === 'done')
    return { text: t(paid ? 'invoice.action.paid' : 'invoice.action.cancelled', { number }), color: 'air-primary-success' }
  if (result.status === 'no-stage')
    return { text: t(paid ? 'invoice.action.noPaidStage' : 'invoice.action.noCancelStage', { number }), color: 'air-primary-warning' }
  return { text: t(result.state.kind === 'paid' ? 'invoice.action.alreadyPaid' : 'invoice.action.alreadyCancelled', { number }), color: 'air-primary-warning' }
}

/**
 * What failed, for `ErrorNotice`. After the invoice moved, a retry would do nothing (the invoice is
 * closed), so the notice names the part left undone and offers no retry.
 */
export function actionFailure(result: InvoiceActionResult, translator: Translator): (ErrorDescription & { title: string, retryable: boolean }) | null {
  if (result.status !== 'failed')
    return null
  const { t } = translator
  const title = t(result.action === 'markPaid' ? 'invoice.action.failedPaid' : 'invoice.action.failedCancel')
  const described = describeError(result.error, translator)
  if (!result.invoiceMoved)
    return { title, ...described, retryable: true }
  const part = t(`invoice.part.${result.failedPart}` as MessageKey)
  return { title, description: `${t('invoice.action.partly', { part })} ${described.description}`, detail: described.detail, retryable: false }
}
