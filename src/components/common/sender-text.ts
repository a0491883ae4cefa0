import type { MessageSender } from '../../domain/email-sender.ts'
import type { Translator } from '../../i18n/translate.ts'

/** The "From" of a client e-mail as a preview shows it: the address, or who will pick it when none is named. */
export function senderText(sender: MessageSender, { t }: Translator): string {
  if (sender.messageFrom !== null)
    return sender.messageFrom
  return sender.fallback === 'noManagerEmail' ? t('issue.preview.fromNoManagerEmail') : t('issue.preview.fromPortal')
}
