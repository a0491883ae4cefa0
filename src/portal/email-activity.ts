import type { MessageSender } from '../domain/email-sender.ts'
import type { RestCall } from './portal-client.ts'
import { PortalError } from './portal-error.ts'

/** A file sent with the e-mail: its name and its bytes in base64 (an upload, R: api-reference/crm/data-types.md #diskfile). */
export interface EmailAttachment {
  readonly name: string
  readonly base64: string
}

/** One client e-mail as crm.activity.add records and sends it. */
export interface EmailActivity {
  /** The CRM item the e-mail is recorded on. */
  readonly owner: { readonly entityTypeId: number, readonly id: number }
  /** `ORIGIN_ID`: the idempotency key a later run finds this e-mail by. */
  readonly originId: string
  readonly to: string
  /** The CRM record the address belongs to (contact 3 or company 4). */
  readonly recipient: { readonly entityTypeId: 3 | 4, readonly id: number }
  readonly subject: string
  readonly html: string
  readonly responsibleId: number
  readonly sender: MessageSender
  /** Attached through `FILES`; null = the e-mail carries links only. */
  readonly attachment: EmailAttachment | null
}

/**
 * The crm.activity.add call that SENDS (TYPE_ID 4 + DIRECTION 2 + COMPLETED Y together, R:
 * tutorials/crm/how-to-add-crm-objects/how-to-send-email.md): the sender as `SETTINGS.MESSAGE_FROM`
 * (none = the portal picks the employee's CRM mailbox), Bitrix24's copy to the sender off unless
 * asked for, and the attachment as `FILES` — the only documented way to attach on add
 * (`STORAGE_ELEMENT_IDS` is a field to read, R: crm-activity-add.md, crm-activity-list.md).
 */
export function emailActivityCall(email: EmailActivity): RestCall {
  const { sender, attachment } = email
  const settings = {
    ...(sender.messageFrom === null ? {} : { MESSAGE_FROM: sender.messageFrom }),
    ...(sender.copyToSender ? {} : { DISABLE_SENDING_MESSAGE_COPY: 'Y' }),
  }
  return {
    method: 'crm.activity.add',
    params: {
      fields: {
        OWNER_TYPE_ID: email.owner.entityTypeId,
        OWNER_ID: email.owner.id,
        TYPE_ID: 4,
        DIRECTION: 2,
        COMPLETED: 'Y',
        SUBJECT: email.subject,
        DESCRIPTION: email.html,
        // 3 = HTML (R: api-reference/crm/data-types.md; the e-mail tutorial's numbering contradicts it).
        DESCRIPTION_TYPE: 3,
        RESPONSIBLE_ID: email.responsibleId,
        ORIGIN_ID: email.originId,
        COMMUNICATIONS: [{ VALUE: email.to, ENTITY_ID: email.recipient.id, ENTITY_TYPE_ID: email.recipient.entityTypeId }],
        ...(Object.keys(settings).length > 0 ? { SETTINGS: settings } : {}),
        ...(attachment ? { FILES: [{ fileData: [attachment.name, attachment.base64] }] } : {}),
      },
    },
  }
}

/**
 * Whether the portal refused an e-mail for want of a sender: `Email send error. "From" is not found`
 * (no `MESSAGE_FROM`, no CRM mailbox of the employee, no shared one — R: how-to-send-email.md, Error
 * handling). The activity exists, the e-mail did not go; the admin has to connect a mailbox or set the sender.
 */
export function isSenderNotFound(error: unknown): boolean {
  return error instanceof PortalError && /"From" is not found/i.test(error.message)
}

/** What the admin must do about `isSenderNotFound`, in the runner's words (README, "Who the e-mails come from"). */
export const SENDER_NOT_FOUND_ADVICE = 'Bitrix24 found no sender ("From" is not found): the responsible employee has no mailbox connected to CRM. Connect one for them in CRM, or set the sender in Invoice Desk settings (E-mails → Client e-mails come from).'
