import type { EmailSender } from './settings/settings.ts'
import { DEFAULT_EMAIL_SENDER } from './settings/default-settings.ts'

/** A person the e-mail may come from: the invoice's responsible manager as `user.get` gives them. */
export interface SenderPerson {
  readonly name: string
  readonly email: string
}

/**
 * The sender of one client e-mail, as crm.activity.add takes it (`SETTINGS.MESSAGE_FROM`, R:
 * tutorials/crm/how-to-add-crm-objects/how-to-send-email.md).
 */
export interface MessageSender {
  /** `Name Surname <address>` to pass as `MESSAGE_FROM`; null lets the portal choose (the employee's CRM mailbox, then the shared one). */
  readonly messageFrom: string | null
  /** Why there is no `MESSAGE_FROM`: the admin left it to the portal, or the responsible manager has no e-mail in their profile. */
  readonly fallback: 'portal' | 'noManagerEmail' | null
  /** Keep Bitrix24's copy of the e-mail to the sender (it sends one unless `DISABLE_SENDING_MESSAGE_COPY` is `Y`). */
  readonly copyToSender: boolean
}

/** One @, no spaces or angle brackets, a dot in the domain: what Bitrix24 accepts between the brackets. */
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/

/** `Name <address>`; the name loses the characters that would break the header (`<`, `>`, `"`), an empty name leaves the bare address. */
export function formatMessageFrom(name: string, address: string): string {
  const clean = name.replace(/[<>"]/g, ' ').replace(/\s+/g, ' ').trim()
  return clean === '' ? address.trim() : `${clean} <${address.trim()}>`
}

/**
 * Who sends: the fixed company address, the responsible manager (`manager`, null when unknown),
 * or nobody named (the portal picks). A manager without a valid e-mail leaves it to the portal.
 * `sender` undefined = `DEFAULT_EMAIL_SENDER`.
 */
export function messageSender(sender: EmailSender | undefined, manager: SenderPerson | null): MessageSender {
  const chosen = sender ?? DEFAULT_EMAIL_SENDER
  const copyToSender = chosen.copyToSender
  if (chosen.source === 'company')
    return { messageFrom: formatMessageFrom(chosen.name, chosen.address), fallback: null, copyToSender }
  if (chosen.source === 'responsible') {
    return manager && ADDRESS.test(manager.email.trim())
      ? { messageFrom: formatMessageFrom(manager.name, manager.email), fallback: null, copyToSender }
      : { messageFrom: null, fallback: 'noManagerEmail', copyToSender }
  }
  return { messageFrom: null, fallback: 'portal', copyToSender }
}
