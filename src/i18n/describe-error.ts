import type { MessageKey } from './messages.ts'
import type { Translator } from './translate.ts'
import { isSenderNotFound } from '../portal/email-activity.ts'
import { PortalError } from '../portal/portal-error.ts'

/** Bitrix24 error codes the user gets a sentence for; the rest get the generic one with the code. */
const KNOWN_CODES = new Set(['ACCESS_DENIED', 'NOT_FOUND', 'QUERY_LIMIT_EXCEEDED', 'OPERATION_TIME_LIMIT', 'expired_token', 'NETWORK_ERROR', 'PDF_TIMEOUT', 'PDF_CONVERSION_FAILED', 'BIZPROC_PLAN_RESTRICTED', 'CREATE_DYNAMIC_TYPE_RESTRICTED'])

export interface ErrorDescription {
  readonly description: string
  /** Which request failed, for support; empty for errors that are not from Bitrix24. */
  readonly detail: string
}

/** Turns what a load threw into words for the user plus the failing method for support. */
export function describeError(error: unknown, { t }: Translator): ErrorDescription {
  if (isSenderNotFound(error))
    return { description: t('error.senderNotFound'), detail: t('error.where', { method: (error as PortalError).method }) }
  if (error instanceof PortalError) {
    // Unknown codes: the portal's own words are the most useful thing we have (e.g. e-mail send errors).
    const description = KNOWN_CODES.has(error.code)
      ? t(`error.${error.code}` as MessageKey)
      : `${t('error.generic', { code: error.code })} ${error.message}`
    return { description, detail: t('error.where', { method: error.method }) }
  }
  return { description: t('error.generic', { code: error instanceof Error ? error.message : String(error) }), detail: '' }
}
