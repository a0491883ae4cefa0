// The client e-mail of the issue chain on a real Bitrix24's terms: a sender (MESSAGE_FROM) or the portal's
// "From" is not found, the public link only (never pdfUrl), the PDF attached through FILES only where it can be fetched.
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { IssueEnvironment } from '../../src/flows/issue-and-send.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { prepareIssue, resendInvoice, runIssue } from '../../src/flows/issue-and-send.ts'
import { describeError } from '../../src/i18n/describe-error.ts'
import { loadTranslator } from '../../src/i18n/translator.ts'
import { isSenderNotFound } from '../../src/portal/email-activity.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { pdfFetcher } from '../../src/portal/node/document-pdf.ts'
import { startEmulator } from '../emulator/server.ts'

const MARIA = 3
const COMPANY_SENDER = { source: 'company', name: 'ООО «Инвойс Деск» — бухгалтерия', address: 'billing@invoice-desk.example', copyToSender: false } as const

function settingsWith(sender?: NonNullable<InvoiceDeskSettings['email']['sender']>): InvoiceDeskSettings {
  const base = defaultSettings()
  return sender ? { ...base, email: { ...base.email, sender } } : base
}

interface Outboxed { from: string, copyTo: string | null, body: string, files: Array<{ name: string, head: string }> }

describe('flows/issue-and-send: the client e-mail (sender, links, attachment)', () => {
  let emulator: RunningEmulator
  let caCertificate: string

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 100 })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())
  beforeEach(() => emulator.engine.faults.clear())

  const env = (): IssueEnvironment => ({ now: new Date(), timeZone: 'Europe/Moscow', locale: 'ru', sleep: ms => new Promise(resolve => setTimeout(resolve, ms)), pdfPollMs: 50, pdfTimeoutMs: 10_000 })
  const portal = () => connectWithWebhook(emulator.webhookUrl, { caCertificate })
  const state = () => emulator.state
  const invoiceOf = (dealId: number) => state().entities[31]!.items.find(item => item.xmlId === invoiceKey(dealId))
  const emailsFor = (invoiceId: number): Outboxed[] => state().journal
    .filter(entry => entry.kind === 'outbox' && Number((entry.details as { owner: { id: number } }).owner.id) === invoiceId)
    .map(entry => entry.details as unknown as Outboxed)
  const publicLinkOf = (invoiceId: number) => {
    const document = state().invoiceFlow?.documents.find(doc => doc.entityId === invoiceId)
    return document?.publicCode ? `${emulator.url}/~${document.publicCode}` : null
  }

  /** A deal of `responsibleId` with a valid client e-mail and no app invoice yet. */
  function dealOf(responsibleId: number): number {
    for (const deal of state().entities[2]!.items) {
      const id = Number(deal.id)
      if (Number(deal.assignedById) !== responsibleId || Number(deal.opportunity) <= 0 || invoiceOf(id))
        continue
      const contact = state().entities[3]!.byId.get(Number(deal.contactId))
      const company = state().entities[4]!.byId.get(Number(deal.companyId))
      const emails = [contact, company].flatMap(item => ((item?.fm ?? []) as Array<{ typeId: string, value: string }>).filter(f => f.typeId === 'EMAIL').map(f => f.value))
      if (emails.length > 0 && /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(emails[0]!))
        return id
    }
    throw new Error(`no issuable deal of user ${responsibleId} left`)
  }

  it('a manager without a CRM mailbox and no sender set: the portal\'s "From" is not found stops the e-mail, and the app says what to do', async () => {
    expect(state().users.find(user => user.id === MARIA)?.crmMailbox).toBe(false)
    const dealId = dealOf(MARIA)
    const client = portal()
    const result = await runIssue(client, await prepareIssue(client, dealId, settingsWith(), env()), env())
    expect(result).toMatchObject({ status: 'failed', step: 'email' })
    const error = (result as { error: unknown }).error
    expect(error).toMatchObject({ code: 'PORTAL_ERROR', message: 'Email send error. "From" is not found' })
    expect(isSenderNotFound(error)).toBe(true)
    const ru = describeError(error, await loadTranslator('ru')).description
    expect(ru).toContain('Подключите ему ящик в CRM или укажите отправителя в настройках')
    expect(describeError(error, await loadTranslator('en')).description).toContain('set the sender in the app\'s settings')
    expect(emailsFor(Number(invoiceOf(dealId)!.id))).toHaveLength(0)
  })

  it('with the company sender the same manager\'s deal is e-mailed from it (MESSAGE_FROM), without Bitrix24\'s copy', async () => {
    const dealId = dealOf(MARIA)
    const client = portal()
    const settings = settingsWith(COMPANY_SENDER)
    const preparation = await prepareIssue(client, dealId, settings, env())
    expect(await runIssue(client, preparation, env())).toMatchObject({ status: 'sent' })
    const [mail] = emailsFor(Number(invoiceOf(dealId)!.id))
    expect(mail).toMatchObject({ from: 'ООО «Инвойс Деск» — бухгалтерия <billing@invoice-desk.example>', copyTo: null })
  })

  it('with the responsible sender the e-mail comes from "Name Surname <e-mail>" of user.get, with the copy when asked for', async () => {
    const dealId = dealOf(MARIA)
    const client = portal()
    const settings = settingsWith({ source: 'responsible', name: '', address: '', copyToSender: true })
    expect(await runIssue(client, await prepareIssue(client, dealId, settings, env()), env())).toMatchObject({ status: 'sent' })
    const [mail] = emailsFor(Number(invoiceOf(dealId)!.id))
    expect(mail).toMatchObject({ from: 'Мария Смирнова <maria.smirnova@invoice-desk.example>', copyTo: 'maria.smirnova@invoice-desk.example' })
  })

  it('the first e-mail and every re-send link the public page, never pdfUrl (a portal page behind a login)', async () => {
    const dealId = dealOf(2)
    const client = portal()
    const settings = settingsWith()
    await runIssue(client, await prepareIssue(client, dealId, settings, env()), env())
    const invoiceId = Number(invoiceOf(dealId)!.id)
    for (let round = 0; round < 2; round++)
      expect(await resendInvoice(client, await prepareIssue(client, dealId, settings, env()), env())).toMatchObject({ status: 'sent' })
    const mails = emailsFor(invoiceId)
    expect(mails).toHaveLength(3)
    const link = publicLinkOf(invoiceId)
    expect(link).toMatch(/\/~[a-z0-9]+$/)
    for (const mail of mails) {
      expect(mail.body).toContain(`href="${link}"`)
      expect(mail.body).not.toContain('ajax.php')
      // No link variable renders into a label pointing at nothing.
      expect(mail.body).not.toMatch(/Оплатить онлайн: (<br>|$)/)
      // Nothing is attached from the browser: STORAGE_ELEMENT_IDS is no attachment, the PDF cannot be fetched there.
      expect(mail.files).toEqual([])
    }
  })

  it('attaches the PDF through FILES where the runner can fetch its …Machine link', async () => {
    const dealId = dealOf(2)
    const client = portal()
    const runner: IssueEnvironment = { ...env(), fetchPdf: pdfFetcher({ caCertificate }) }
    expect(await runIssue(client, await prepareIssue(client, dealId, settingsWith(), runner), runner)).toMatchObject({ status: 'sent' })
    const [mail] = emailsFor(Number(invoiceOf(dealId)!.id))
    expect(mail!.files).toEqual([expect.objectContaining({ name: expect.stringMatching(/\.pdf$/) as unknown, head: '%PDF-1.4' })])
    expect(mail!.body).toContain(`href="${publicLinkOf(Number(invoiceOf(dealId)!.id))}"`)
  })
})
