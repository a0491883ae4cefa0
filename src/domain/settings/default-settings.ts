import type { EmailSender, EmailTemplate, EmailTemplateId, InvoiceDeskSettings, ProcessSettings, ReminderRepeat } from './settings.ts'
import { RU_HOLIDAYS, RU_WORKING_WEEKENDS } from '../reminders/ru-production-calendar.ts'
import { SETTINGS_SCHEMA_VERSION } from './settings.ts'

/** The closing document's e-mail until an admin edits it (`{document.name}`: the closing template's name). */
export const DEFAULT_CLOSING_EMAIL: EmailTemplate = {
  ru: {
    subject: 'Закрывающий документ по счёту № {invoice.number}',
    body: 'Здравствуйте, {client.name}!\n\nСчёт № {invoice.number} на сумму {invoice.sum} оплачен полностью. Спасибо!\nЗакрывающий документ «{document.name}»: {document.link}\n\n{manager.name}\n{company.name}',
  },
  en: {
    subject: 'Closing document for invoice No. {invoice.number}',
    body: 'Hello, {client.name}!\n\nInvoice No. {invoice.number} of {invoice.sum} is paid in full. Thank you!\nClosing document «{document.name}»: {document.link}\n\n{manager.name}\n{company.name}',
  },
}

/** No sender chosen: the portal picks the employee's CRM mailbox (what the app did before the setting existed); no copy to the sender. */
export const DEFAULT_EMAIL_SENDER: EmailSender = { source: 'portal', name: '', address: '', copyToSender: false }

/** The repeat the defaults use, and the one the editor offers when repeats are switched on: weekly, 3 times. */
export const DEFAULT_REMINDER_REPEAT: ReminderRepeat = { everyDays: 7, maxTimes: 3 }

const SIGNATURE_RU = '\n\nС уважением,\n{manager.name}\n{company.name}'
const SIGNATURE_EN = '\n\nBest regards,\n{manager.name}\n{company.name}'

const DEFAULT_TEMPLATES: Readonly<Record<EmailTemplateId, EmailTemplate>> = {
  invoice: {
    ru: {
      subject: 'Счёт № {invoice.number} от {company.name}',
      body: `Здравствуйте, {client.name}!\n\nНаправляем счёт № {invoice.number} на сумму {invoice.sum}. Оплатить до {invoice.dueDate}.\nСчёт: {document.link}\nОплатить онлайн: {payment.link}${SIGNATURE_RU}`,
    },
    en: {
      subject: 'Invoice {invoice.number} from {company.name}',
      body: `Dear {client.name},\n\nPlease find invoice {invoice.number} for {invoice.sum}, due on {invoice.dueDate}.\nInvoice: {document.link}\nPay online: {payment.link}${SIGNATURE_EN}`,
    },
  },
  reminderBeforeDue: {
    ru: {
      subject: 'Напоминание: срок оплаты счёта № {invoice.number} — {invoice.dueDate}',
      body: `Здравствуйте, {client.name}!\n\nНапоминаем, что {invoice.dueDate} истекает срок оплаты счёта № {invoice.number} на сумму {invoice.balance}.\nСчёт: {document.link}${SIGNATURE_RU}`,
    },
    en: {
      subject: 'Reminder: invoice {invoice.number} is due on {invoice.dueDate}',
      body: `Dear {client.name},\n\nA friendly reminder that invoice {invoice.number} for {invoice.balance} is due on {invoice.dueDate}.\nInvoice: {document.link}${SIGNATURE_EN}`,
    },
  },
  reminderOnDue: {
    ru: {
      subject: 'Сегодня срок оплаты счёта № {invoice.number}',
      body: `Здравствуйте, {client.name}!\n\nСегодня последний день оплаты счёта № {invoice.number}. К оплате: {invoice.balance}.\nОплатить онлайн: {payment.link}${SIGNATURE_RU}`,
    },
    en: {
      subject: 'Invoice {invoice.number} is due today',
      body: `Dear {client.name},\n\nInvoice {invoice.number} is due today. Amount due: {invoice.balance}.\nPay online: {payment.link}${SIGNATURE_EN}`,
    },
  },
  reminderOverdue: {
    ru: {
      subject: 'Счёт № {invoice.number} просрочен',
      body: `Здравствуйте, {client.name}!\n\nСчёт № {invoice.number} просрочен на {invoice.daysOverdue} дн. К оплате: {invoice.balance}. Если вы уже оплатили, пришлите, пожалуйста, платёжное поручение.\nСчёт: {document.link}${SIGNATURE_RU}`,
    },
    en: {
      subject: 'Invoice {invoice.number} is overdue',
      body: `Dear {client.name},\n\nInvoice {invoice.number} is {invoice.daysOverdue} days overdue. Amount due: {invoice.balance}. If you have already paid, please send us the payment confirmation.\nInvoice: {document.link}${SIGNATURE_EN}`,
    },
  },
  paymentThanks: {
    ru: {
      subject: 'Спасибо за оплату счёта № {invoice.number}',
      body: `Здравствуйте, {client.name}!\n\nМы получили оплату по счёту № {invoice.number} на сумму {invoice.sum}. Спасибо!${SIGNATURE_RU}`,
    },
    en: {
      subject: 'Thank you for paying invoice {invoice.number}',
      body: `Dear {client.name},\n\nWe have received your payment of {invoice.sum} for invoice {invoice.number}. Thank you!${SIGNATURE_EN}`,
    },
  },
}

/**
 * No business processes and no approval; the app triggers registered at install fire on their
 * events: `invoice_sent` when sent, `invoice_paid` when paid, `invoice_overdue` at a reminder step.
 */
export function defaultProcessSettings(): ProcessSettings {
  const only = (triggerCode: string | null) => ({ processes: [], triggerCode })
  return {
    events: { issued: only(null), sent: only('invoice_sent'), paid: only('invoice_paid'), reminder: only('invoice_overdue'), promiseBroken: only(null) },
    approval: { enabled: false, minAmount: null, templateId: null, document: 'deal', name: '' },
  }
}

/**
 * Settings that work on a new portal before anyone opens the settings page: 5 days to pay for
 * B2B and 3 for B2C, the portal's default invoice pipeline, template and company (null = pick
 * the portal's default, see `resolveSettings`), no automatic issue, the manager notified of
 * payment and overdue, reminders 3 days before, on the day and 3, 7 and 14 days after the due date
 * at 09:00 on business days of the Russian production calendar, then the last step again every
 * 7 days at most 3 times, one e-mail per invoice, no company exceptions.
 */
export function defaultSettings(): InvoiceDeskSettings {
  return {
    schemaVersion: SETTINGS_SCHEMA_VERSION,
    invoice: {
      categoryId: null,
      sentStageId: null,
      documentTemplateId: null,
      documentTemplateName: null,
      closingDocumentTemplateId: null,
      closingDocumentTemplateName: null,
      closingDocumentEmail: DEFAULT_CLOSING_EMAIL,
      paymentTermDays: { b2b: 5, b2c: 3 },
      companyTerms: [],
      myCompanyId: null,
    },
    deal: {
      readyStageIds: [],
      stageAfterSent: null,
      stageAfterPaid: null,
      autoIssue: { enabled: false, minAmount: null, clientType: 'any', paymentMethods: [], regions: [], paymentMethodField: null, regionField: null },
    },
    email: { templates: DEFAULT_TEMPLATES, sender: { ...DEFAULT_EMAIL_SENDER } },
    notifications: {
      onIssue: { roles: ['responsible'], userIds: [] },
      onPayment: { roles: ['responsible'], userIds: [] },
      onOverdue: { roles: ['responsible'], userIds: [] },
      tasks: [{ title: 'Позвонить клиенту по счёту {invoice.number}', offsetDays: 3, anchor: 'issue', responsible: 'responsible' }],
    },
    reminders: {
      enabled: true,
      steps: [
        { offsetDays: -3, channel: 'email', templateId: 'reminderBeforeDue' },
        { offsetDays: 0, channel: 'email', templateId: 'reminderOnDue' },
        { offsetDays: 3, channel: 'email', templateId: 'reminderOverdue' },
        { offsetDays: 7, channel: 'task', templateId: 'reminderOverdue' },
        { offsetDays: 14, channel: 'escalate', templateId: 'reminderOverdue' },
      ],
      repeat: { ...DEFAULT_REMINDER_REPEAT },
      sendHour: 9,
      businessDaysOnly: true,
      holidays: [...RU_HOLIDAYS],
      workingWeekends: [...RU_WORKING_WEEKENDS],
      minAmount: null,
      groupByClient: false,
      companyOverrides: [],
      escalationUserIds: [],
    },
    processes: defaultProcessSettings(),
    journal: { entityTypeId: null, keepDays: DEFAULT_JOURNAL_KEEP_DAYS },
    testMode: false,
  }
}

/** How long journal entries are kept by default: a quarter and a bit, enough to look back on a reporting period. */
export const DEFAULT_JOURNAL_KEEP_DAYS = 100
