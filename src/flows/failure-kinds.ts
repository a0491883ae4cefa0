import { isSenderNotFound } from '../portal/email-activity.ts'
import { isLimitRefusal } from '../portal/limit-wait.ts'
import { PortalError } from '../portal/portal-error.ts'

/**
 * Whether Bitrix24 refused an e-mail because the responsible has no mailbox connected to CRM
 * ("From" is not found): a person must connect one or set the sender in the settings.
 */
export function isSenderMissing(error: unknown): boolean {
  return isSenderNotFound(error)
}

/**
 * Whether a write got no answer (a dropped connection, a timeout, a gateway error): the portal
 * may have done it, only a fresh read tells. A limit refusal (503/429) is an answer: nothing was
 * done. The PDF's own timeout is not a lost write either.
 */
export function isUnansweredWrite(error: unknown): boolean {
  return error instanceof PortalError
    && !isLimitRefusal(error)
    && (error.status === 0 || error.status === 408 || error.status >= 502)
    && error.code !== 'PDF_TIMEOUT'
}
