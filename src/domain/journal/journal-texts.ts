import type { Locale } from '../format.ts'
import type { Money } from '../money.ts'
import { formatMoney } from '../format.ts'

/**
 * The summaries journal entries carry, in either language. `{n}` is the invoice number, `{to}` an
 * address or a person, `{name}` a process or trigger, `{step}` a reminder step, `{amount}` money
 * (`journalMoney`), `{event}` an app event (`journalEventName`), `{doc}` a process's document,
 * `{text}` words kept as written (a stage's name).
 */
const TEXTS = {
  ru: {
    invoice: 'Счёт {n} создан',
    document: 'Документ счёта {n} создан',
    pdf: 'PDF счёта {n} готов',
    email: 'Счёт {n} отправлен на {to}',
    emailClient: 'Счёт {n} отправлен клиенту',
    resent: 'Счёт {n} отправлен повторно на {to}',
    resentFailed: 'Повторная отправка счёта {n} не удалась',
    subscriptionEndsSoon: 'Менеджер предупреждён: подписка заканчивается {on}',
    subscriptionUnpaid: 'Менеджер уведомлён: счёт подписки {n} не оплачен в срок',
    stage: 'Стадии счёта {n} и сделки переведены',
    stageTo: 'Стадии счёта {n} и сделки переведены: {stage}',
    notify: 'Менеджер уведомлён о счёте {n}',
    task: 'Задача по счёту {n} создана',
    trigger: 'Триггер «{name}» для счёта {n}',
    process: 'Бизнес-процесс «{name}» ({event})',
    processOn: 'Бизнес-процесс «{name}» ({event}) → {doc}',
    approval: 'Счёт {n} ждёт согласования',
    approvalRejected: 'Согласование счёта {n} остановлено: счёт не отправлен',
    failedAt: 'Выставление счёта {n} остановилось',
    reminder: 'Напоминание {step} ({channel}) по счёту {n}',
    payment: 'Оплата {amount} по счёту {n}',
    paymentAs: 'Оплата {amount} по счёту {n}: {status}',
    paymentBitrix: 'платёж создан в счёте Битрикс24',
    paymentNoRows: 'платёж в счёте Битрикс24 не создан: в счёте нет товаров',
    paymentDealMoved: 'сделка переведена в стадию после оплаты',
    paymentDealWaits: 'стадия сделки не изменена: есть другие неоплаченные счета',
    paymentPartFailed: 'платёж записан, но не выполнено: {part}',
    paymentElsewhere: 'проводится в другом окне или другим пользователем — здесь не записан',
    paymentBusy: 'не записан: по счёту в этот момент проводится другой платёж',
    paidOutside: 'счёт оплачен вне приложения',
    paidOutsideDealMoved: 'счёт оплачен вне приложения, сделка переведена',
    closingSent: 'Закрывающий документ по счёту {n} отправлен на {to}',
    closingFailed: 'Закрывающий документ по счёту {n} не отправлен',
    closingUnknown: 'Закрывающий документ по счёту {n}: портал не ответил, письмо могло уйти — повторно не отправляется',
    closingUnconfirmed: 'Закрывающий документ по счёту {n}: письмо есть в карточке без отметки об отправке — проверьте его, повторно не отправляется',
    closingNoEmail: 'Закрывающий документ по счёту {n} не отправлен: у клиента нет e-mail',
    promiseBroken: 'Обещание оплатить счёт {n} до {on} не выполнено',
    dryRunIssue: 'Пробный запуск: счёт на {amount} для {to}',
    dryRunReminder: 'Пробный запуск: напоминание {step} ({channel}) по счёту {n}',
    plain: '{text}',
  },
  en: {
    invoice: 'Invoice {n} created',
    document: 'Document of invoice {n} created',
    pdf: 'PDF of invoice {n} ready',
    email: 'Invoice {n} e-mailed to {to}',
    emailClient: 'Invoice {n} e-mailed to the client',
    resent: 'Invoice {n} e-mailed again to {to}',
    resentFailed: 'Could not e-mail invoice {n} again',
    subscriptionEndsSoon: 'Manager warned: the subscription ends on {on}',
    subscriptionUnpaid: 'Manager notified: subscription invoice {n} is unpaid past its due date',
    stage: 'Invoice {n} and deal moved to their stages',
    stageTo: 'Invoice {n} and deal moved to their stages: {stage}',
    notify: 'Manager notified of invoice {n}',
    task: 'Task for invoice {n} created',
    trigger: 'Trigger «{name}» for invoice {n}',
    process: 'Business process «{name}» ({event})',
    processOn: 'Business process «{name}» ({event}) → {doc}',
    approval: 'Invoice {n} is waiting for approval',
    approvalRejected: 'Approval of invoice {n} was stopped: the invoice was not sent',
    failedAt: 'Issuing invoice {n} stopped',
    reminder: 'Reminder {step} ({channel}) for invoice {n}',
    payment: 'Payment of {amount} for invoice {n}',
    paymentAs: 'Payment of {amount} for invoice {n}: {status}',
    paymentBitrix: 'payment created in the Bitrix24 invoice',
    paymentNoRows: 'no payment in the Bitrix24 invoice: it has no products',
    paymentDealMoved: 'deal moved to its after-payment stage',
    paymentDealWaits: 'deal stage not changed: other invoices are unpaid',
    paymentPartFailed: 'payment recorded, but not done: {part}',
    paymentElsewhere: 'being recorded in another window or by another user — not recorded here',
    paymentBusy: 'not recorded: another payment of the invoice was being recorded',
    paidOutside: 'paid outside the app',
    paidOutsideDealMoved: 'paid outside the app, deal moved',
    closingSent: 'Closing document for invoice {n} e-mailed to {to}',
    closingFailed: 'Closing document for invoice {n} not sent',
    closingUnknown: 'Closing document for invoice {n}: the portal did not answer, the e-mail may have gone — not sent again',
    closingUnconfirmed: 'Closing document for invoice {n}: its e-mail is in the card without a sent mark — check it; not sent again',
    closingNoEmail: 'Closing document for invoice {n} not sent: the client has no e-mail',
    promiseBroken: 'The promise to pay invoice {n} by {on} was broken',
    dryRunIssue: 'Dry run: invoice of {amount} for {to}',
    dryRunReminder: 'Dry run: reminder {step} ({channel}) for invoice {n}',
    plain: '{text}',
  },
} as const

/** The app's events as the journal names them. */
const EVENTS = {
  ru: { issued: 'счёт выставлен', sent: 'счёт отправлен', paid: 'счёт оплачен', reminder: 'напоминание', promiseBroken: 'обещание нарушено', approval: 'согласование' },
  en: { issued: 'invoice issued', sent: 'invoice sent', paid: 'invoice paid', reminder: 'reminder', promiseBroken: 'promise broken', approval: 'approval' },
} as const

/** The name of an app event (`sent`, `paid` …) in `locale`; unknown ones as they are. */
export function journalEventName(locale: Locale, event: string): string {
  return (EVENTS[locale] as Readonly<Record<string, string>>)[event] ?? event
}

/** What a dry run's process would run on: the deal's document id, or the invoice not yet created. */
export function dryRunDocumentName(locale: Locale, element: string): string {
  return /^SMART_INVOICE_0$/.test(element) ? (locale === 'ru' ? 'новом счёте' : 'the new invoice') : element
}

/** One of the journal's summaries. */
export type JournalTextKey = keyof typeof TEXTS.ru

/** The summary `key` in `locale` with its `{placeholders}` filled (missing ones stay empty). */
export function journalText(locale: Locale, key: JournalTextKey, values: Readonly<Record<string, string | number>> = {}): string {
  return TEXTS[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''))
}

/** One sentence of an entry's summary: a text key and its values as written (not yet in any language). */
export interface JournalTextPart {
  readonly key: JournalTextKey
  readonly values?: Readonly<Record<string, string>>
}

/**
 * What an entry says, in no language yet: its sentences, joined by « · ». The journal screen renders
 * it in the reader's language (`renderJournalText`); entries written before it existed have none.
 */
export type JournalText = readonly JournalTextPart[]

/** Money as a text value (`{amount}`): integer minor units and the currency, formatted when rendered. */
export function journalMoney(money: Money): string {
  return `${money.amountMinor} ${money.currency}`
}

const MONEY_VALUE = /^(-?\d+) ([A-Z]{3})$/

/** A value as `locale` shows it: money formatted, an event named, the dry run's document named; the rest as written. */
function localValue(locale: Locale, name: string, value: string): string {
  if (name === 'event')
    return journalEventName(locale, value)
  if (name === 'doc')
    return dryRunDocumentName(locale, value)
  const money = name === 'amount' ? MONEY_VALUE.exec(value) : null
  return money ? formatMoney({ amountMinor: Number(money[1]), currency: money[2]! }, locale) : value
}

/** `text` in `locale`: each sentence with its values filled, joined by « · ». */
export function renderJournalText(locale: Locale, text: JournalText): string {
  return text.map((part) => {
    const values = Object.fromEntries(Object.entries(part.values ?? {}).map(([name, value]) => [name, localValue(locale, name, value)]))
    return journalText(locale, part.key, values)
  }).join(' · ')
}

/** True for a key the journal knows (a stored entry's key may come from a newer or older app). */
export function isJournalTextKey(key: string): key is JournalTextKey {
  return Object.hasOwn(TEXTS.ru, key)
}
