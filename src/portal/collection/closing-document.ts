import type { CollectionState } from '../../domain/collection/collection-state.ts'
import type { Invoice } from '../../domain/invoice.ts'
import type { InvoiceClient } from '../../domain/issue/client.ts'
import type { EmailActivity } from '../email-activity.ts'
import type { ActivityDto, ClientItemDto, DocumentDto, UserDto } from '../issue/issue-dto.ts'
import type { Manager } from '../issue/issue-read.ts'
import type { IssuedDocument } from '../issue/issue-write.ts'
import type { PortalClient, RestCall } from '../portal-client.ts'
import type { ReplayGuard } from '../replay-guard.ts'
import type { LogWrite } from './collection-log.ts'
import { ENTITY, errorOf, optional, required } from '../batch-outcome.ts'
import { emailActivityCall } from '../email-activity.ts'
import { userName } from '../issue/issue-dto.ts'
import { clientOf } from '../issue/issue-read.ts'
import { createDocument, documentFromDto, enablePublicUrl } from '../issue/issue-write.ts'
import { PortalError } from '../portal-error.ts'
import { guardedBatch, guardOf, withMint } from '../replay-guard.ts'
import { collectionStateFrom, logAddCall, logListCall, readCollectionStates } from './collection-log.ts'

/** Everything a closing document attempt reads before it writes (ONE round trip; more only for long timelines). */
export interface ClosingContext {
  readonly state: CollectionState
  readonly client: InvoiceClient | null
  readonly manager: Manager | null
  /** Our company's name for the e-mail; empty when not read. */
  readonly companyName: string
  /** The newest document of the closing template on the invoice (a retry reuses it); null when none. */
  readonly document: IssuedDocument | null
  /** `ORIGIN_ID`s of the invoice's e-mail activities. */
  readonly emailOrigins: ReadonlySet<string>
  /** The portal's clock (`server.time`), ms since the epoch. */
  readonly nowMs: number
  readonly guard: ReplayGuard
}

/**
 * ONE batched round trip on the invoice: its timeline (records), company and contact (the address),
 * responsible (the sender), our company, its e-mail activities (`crm.activity.list`, TYPE_ID 4) and
 * its documents (`crm.documentgenerator.document.list`, which has no `publicUrl`: the newest of
 * the template is `get` in the same batch), the portal's clock, and the token of the first write.
 * A failed read of the records or the e-mails throws: deciding "not sent" from a missing read could send twice.
 */
export async function readClosingContext(client: PortalClient, invoice: Invoice, templateId: number, myCompanyId: number | null): Promise<ClosingContext> {
  const owner = { entityTypeId: ENTITY.invoice, id: invoice.id } as const
  const calls: Record<string, RestCall> = {
    time: { method: 'server.time' },
    log: logListCall(invoice.id),
    emails: { method: 'crm.activity.list', params: { filter: { OWNER_TYPE_ID: ENTITY.invoice, OWNER_ID: invoice.id, TYPE_ID: 4 }, select: ['ID', 'ORIGIN_ID'] } },
    docs: { method: 'crm.documentgenerator.document.list', params: { filter: { entityTypeId: ENTITY.invoice, entityId: invoice.id }, order: { id: 'DESC' }, select: ['id', 'templateId'] } },
  }
  if (invoice.companyId !== null)
    calls.company = { method: 'crm.item.get', params: { entityTypeId: ENTITY.company, id: invoice.companyId } }
  if (invoice.contactId !== null)
    calls.contact = { method: 'crm.item.get', params: { entityTypeId: ENTITY.contact, id: invoice.contactId } }
  if (invoice.responsibleId !== null)
    calls.manager = { method: 'user.get', params: { filter: { ID: invoice.responsibleId } } }
  if (myCompanyId !== null)
    calls.myCompany = { method: 'crm.item.get', params: { entityTypeId: ENTITY.company, id: myCompanyId } }
  const outcomes = await client.batch(withMint(calls, owner))
  const nowMs = Date.parse(required<string>(outcomes.time, 'server.time'))
  const emails = required<ActivityDto[]>(outcomes.emails, 'crm.activity.list')
  const docs = optional<{ documents?: DocumentDto[] } | DocumentDto[]>(outcomes.docs, [])
  const listed = (Array.isArray(docs) ? docs : docs.documents ?? []).find(dto => Number(dto.templateId) === templateId)
  const document = listed ? documentFromDto((await client.call<{ document: DocumentDto }>('crm.documentgenerator.document.get', { id: listed.id })).document) : null
  const company = optional<{ item: ClientItemDto } | null>(outcomes.company, null)?.item ?? null
  const contact = optional<{ item: ClientItemDto } | null>(outcomes.contact, null)?.item ?? null
  const user = optional<UserDto[]>(outcomes.manager, [])[0]
  return {
    state: await collectionStateFrom(client, invoice.id, outcomes.log),
    client: clientOf(company, contact),
    manager: user ? { id: Number(user.ID), name: userName(user), email: user.EMAIL ?? '', phone: user.WORK_PHONE ?? '' } : null,
    companyName: optional<{ item: { title?: string | null } } | null>(outcomes.myCompany, null)?.item.title ?? '',
    document,
    emailOrigins: new Set(emails.map(row => row.ORIGIN_ID ?? '').filter(origin => origin !== '')),
    nowMs,
    guard: guardOf(outcomes, owner),
  }
}

/**
 * Writes the attempt's `claim` (guarded, minting the next token), then reads the invoice's records
 * back: two round trips (more for long timelines). Throws when the claim was not written.
 */
export async function claimClosing(client: PortalClient, guard: ReplayGuard, claim: LogWrite): Promise<CollectionState> {
  const outcomes = await guardedBatch(client, guard, { claim: logAddCall(claim) }, { mintNext: true })
  required(outcomes.claim, 'crm.timeline.logmessage.add')
  const states = await readCollectionStates(client, [claim.entityId])
  return states.get(claim.entityId)!
}

/**
 * The closing document with its public link: the one a former attempt made (its link switched on
 * when off), else a new one from `templateId` (one guarded round trip). Only the public page is for
 * the client (`pdfUrl` is behind the portal's login), so a document without one is an error.
 */
export async function closingDocument(client: PortalClient, invoiceId: number, templateId: number, existing: IssuedDocument | null, guard: ReplayGuard): Promise<IssuedDocument> {
  const document = existing ?? await createDocument(client, invoiceId, templateId, guard)
  const publicUrl = document.publicUrl ?? await enablePublicUrl(client, document.id)
  if (!publicUrl)
    throw new PortalError('crm.documentgenerator.document.enablepublicurl', 'NO_PUBLIC_URL', 'The document has no public link', 200, true)
  return { ...document, publicUrl }
}

/** What the e-mail batch did: sent and recorded, sent but the record failed, refused (nothing sent), or unknown (no answer). */
export type ClosingSend
  = | { readonly status: 'sent', readonly recordError: PortalError | null }
    | { readonly status: 'refused', readonly error: PortalError }
    | { readonly status: 'unknown', readonly error: unknown }

/**
 * ONE halted, guarded round trip: the e-mail (`crm.activity.add` that sends), then its `sent`
 * record. A refusal — an empty-code one too — stops the batch before the record. Never retried:
 * a batch without an answer is `unknown`, and so is a replay (it ran once already).
 */
export async function sendClosingEmail(client: PortalClient, guard: ReplayGuard, email: EmailActivity, record: LogWrite): Promise<ClosingSend> {
  const call = emailActivityCall(email)
  try {
    const outcomes = await guardedBatch(client, guard, { email: call, record: logAddCall(record) })
    const refused = errorOf(outcomes.email, call.method)
    if (refused)
      return { status: 'refused', error: refused }
    return { status: 'sent', recordError: errorOf(outcomes.record, 'crm.timeline.logmessage.add') }
  }
  catch (error) {
    return { status: 'unknown', error }
  }
}

/** Writes a closing record outside any guard (`failed`: a repeat harms nothing); the portal's error, or null. */
export async function writeClosingRecord(client: PortalClient, record: LogWrite): Promise<unknown> {
  return client.call('crm.timeline.logmessage.add', logAddCall(record).params).then(() => null, (error: unknown) => error)
}
