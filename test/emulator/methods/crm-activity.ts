/**
 * crm.activity.add/get/list/delete (R: api-reference/crm/timeline/activities/activity-base/crm-activity-*.md,
 * tutorials/crm/how-to-add-crm-objects/how-to-send-email.md).
 * - Failures: HTTP 400 with an EMPTY error code and the text as `error_description` (R: the pages' examples).
 * - An e-mail is SENT only when TYPE_ID 4 + DIRECTION 2 + COMPLETED 'Y' come together: it goes to the journal
 *   `outbox`. With COMPLETED 'N' it is a scheduled e-mail and nothing is sent (R: how-to-send-email.md).
 * - `Email send error. …`: the activity IS created, the e-mail is not sent, the call answers the error:
 *   - "To" is not found: every recipient VALUE is blank after trimming (e.g. `' '`);
 *   - Invalid email is specified: a recipient or the MESSAGE_FROM address fails the format check;
 *   - "From" is not found: no MESSAGE_FROM and the responsible user has no mailbox connected to CRM (`crmMailbox`;
 *     the emulated portals have no shared CRM mailbox). MESSAGE_FROM (`Name Surname <address>`) is the sender
 *     as given; a copy goes to it unless SETTINGS.DISABLE_SENDING_MESSAGE_COPY is 'Y' (R: how-to-send-email.md, Notes).
 * - Attachments only through `FILES` (`[{ fileData: ['name.pdf', '<base64>'] }]`, R: crm-activity-add.md, data-types.md
 *   #diskfile). `STORAGE_ELEMENT_IDS` is documented only as a field to read (crm-activity-list.md): on add it is IGNORED.
 * - A communication with an empty VALUE or a TYPE other than EMAIL (for e-mails) is dropped; none left →
 *   `The field COMMUNICATIONS is not defined or invalid` (R: how-to-send-email.md errors table).
 * - Rights: modify rights on the owner (R: how-to-send-email.md); reading follows read rights on the owner.
 */
import { formatPortalDateTime, parsePortalInstant } from '../core/portal-time.ts'
import { invoiceFlow, type ActivityCommunication, type CrmActivity } from '../data/invoice-flow-state.ts'
import { addJournalEntry, findUser } from '../data/portal-state.ts'
import { asList, runListQuery, type Row } from '../rest/list-query.ts'
import type { CallContext, MethodDefinition, Params } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'
import { canRead, canWrite } from './crm-permissions.ts'
import { crmTypeOf, findOwner, isBlank, isObject, positiveInt } from './crm-owner.ts'

const fail = (description: string): RestError => new RestError(400, '', description)

const TYPE_NAMES: Readonly<Record<number, string>> = { 2: 'DEAL', 3: 'CONTACT', 4: 'COMPANY', 31: 'SMART_INVOICE' }
const PROVIDERS: Readonly<Record<number, [string, string]>> = { 1: ['CRM_MEETING', 'MEETING'], 2: ['VOXIMPLANT_CALL', 'CALL'], 4: ['CRM_EMAIL', 'EMAIL'] }
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/

/** Fields crm.activity.list returns only when named in `select` (R: crm-activity-list.md). */
const SELECT_ONLY = ['COMMUNICATIONS', 'FILES', 'STORAGE_ELEMENT_IDS', 'STORAGE_TYPE_ID']

interface UploadedFile { id: number, name: string, size: number, content: string }

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value))

function timeField(value: unknown, fallback: number): string {
  return formatPortalDateTime(parsePortalInstant(value) ?? fallback)
}

/** `FILES: [{ fileData: ['a.pdf', '<base64>'] }]` (R: crm-activity-add.md) or `[['a.pdf', '<base64>']]`. */
function readFiles(value: unknown, nextId: () => number): UploadedFile[] {
  return asList(value).flatMap((entry) => {
    const data = isObject(entry) ? entry.fileData : entry
    if (!Array.isArray(data) || typeof data[0] !== 'string') return []
    const content = typeof data[1] === 'string' ? data[1] : ''
    return [{ id: nextId(), name: data[0], size: Buffer.from(content, 'base64').length, content }]
  })
}

/** `Name Surname <addr@x>` or `addr@x` → the address, '' when there is none. */
function addressOf(value: string): string {
  const angled = /<([^>]*)>/.exec(value)
  return (angled ? angled[1] ?? '' : value).trim()
}

function ownerParts(fields: Record<string, unknown>, ctx: CallContext): { typeId: number, id: number } {
  const typeId = crmTypeOf(fields.OWNER_TYPE_ID)
  const id = positiveInt(fields.OWNER_ID)
  if (typeId === null || id === null) throw fail('Could not build binding. Please ensure that owner info and communications are defined correctly')
  const owner = findOwner(ctx.state, typeId, id)
  if (!owner) throw fail(`Could not find '${TYPE_NAMES[typeId] ?? typeId}' with ID: ${id}`)
  if (!canWrite(ctx, typeId, owner)) throw fail('Access denied.')
  return { typeId, id }
}

function communications(value: unknown, typeId: number, owner: { typeId: number, id: number }, nextId: () => number): ActivityCommunication[] {
  const defaultType = typeId === 4 ? 'EMAIL' : typeId === 2 ? 'PHONE' : ''
  return asList(value).flatMap((entry) => {
    if (!isObject(entry) || str(entry.VALUE) === '') return []
    const type = isBlank(entry.TYPE) ? defaultType : str(entry.TYPE)
    if (defaultType !== '' && type !== defaultType) return []
    return [{
      ID: String(nextId()), TYPE: type, VALUE: str(entry.VALUE),
      ENTITY_ID: isBlank(entry.ENTITY_ID) ? String(owner.id) : str(entry.ENTITY_ID),
      ENTITY_TYPE_ID: isBlank(entry.ENTITY_TYPE_ID) ? String(owner.typeId) : str(entry.ENTITY_TYPE_ID),
    }]
  })
}

/** Why the e-mail cannot go out, or null. */
function sendError(recipients: string[], from: string): string | null {
  if (recipients.length === 0) return 'Email send error. "To" is not found'
  if (from === '') return 'Email send error. "From" is not found'
  if (!recipients.every(address => EMAIL.test(address)) || !EMAIL.test(from)) return 'Email send error. Invalid email is specified'
  return null
}

const add: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const fields = isObject(params.fields) ? params.fields : {}
    const owner = ownerParts(fields, ctx)
    const typeId = Number(fields.TYPE_ID)
    if (![1, 2, 4, 6].includes(typeId)) throw fail('The field TYPE_ID is not defined or invalid')
    if (typeId === 6 && isBlank(fields.PROVIDER_ID)) throw fail('The custom activity without provider is not supported in current context')
    if (isBlank(fields.SUBJECT)) throw fail('The field SUBJECT is not defined or empty')
    const responsibleId = positiveInt(fields.RESPONSIBLE_ID)
    const responsible = responsibleId === null ? undefined : findUser(ctx.state, responsibleId)
    if (!responsible) throw fail('The field RESPONSIBLE_ID is not defined or invalid')
    const flow = invoiceFlow(ctx.state)
    const comms = communications(fields.COMMUNICATIONS, typeId, owner, () => flow.nextCommunicationId++)
    if (comms.length === 0 && typeId !== 6) throw fail('The field COMMUNICATIONS is not defined or invalid')
    if (typeId === 2 && comms.length > 1) throw fail('The only one communication is allowed for activity of specified type')

    const now = formatPortalDateTime(ctx.now)
    const completed = fields.COMPLETED === 'Y' || fields.COMPLETED === true ? 'Y' : 'N'
    const direction = isBlank(fields.DIRECTION) ? (typeId === 4 ? '2' : '0') : str(fields.DIRECTION)
    const files = readFiles(fields.FILES, () => flow.nextDiskFileId++)
    const [providerId, providerTypeId] = PROVIDERS[typeId] ?? [str(fields.PROVIDER_ID), str(fields.PROVIDER_TYPE_ID)]
    const startTime = timeField(fields.START_TIME, ctx.now)
    const endTime = timeField(fields.END_TIME ?? fields.START_TIME, ctx.now)
    const settings = isObject(fields.SETTINGS) ? fields.SETTINGS : {}
    const id = flow.nextActivityId++
    const activity: CrmActivity = {
      ID: String(id), OWNER_ID: String(owner.id), OWNER_TYPE_ID: String(owner.typeId), TYPE_ID: String(typeId),
      PROVIDER_ID: providerId, PROVIDER_TYPE_ID: providerTypeId, PROVIDER_GROUP_ID: null,
      ASSOCIATED_ENTITY_ID: str(fields.ASSOCIATED_ENTITY_ID || '0'), SUBJECT: str(fields.SUBJECT),
      CREATED: now, LAST_UPDATED: now, START_TIME: startTime, END_TIME: endTime, DEADLINE: startTime,
      COMPLETED: completed, STATUS: completed === 'Y' ? '2' : '1', RESPONSIBLE_ID: String(responsible.id),
      PRIORITY: str(fields.PRIORITY || '2'), NOTIFY_TYPE: str(fields.NOTIFY_TYPE || '0'), NOTIFY_VALUE: '0',
      DESCRIPTION: str(fields.DESCRIPTION), DESCRIPTION_TYPE: str(fields.DESCRIPTION_TYPE || '1'), DIRECTION: direction,
      LOCATION: str(fields.LOCATION), SETTINGS: Object.keys(settings).length > 0 ? { ...settings } : [],
      ORIGINATOR_ID: isBlank(fields.ORIGINATOR_ID) ? null : str(fields.ORIGINATOR_ID),
      ORIGIN_ID: isBlank(fields.ORIGIN_ID) ? null : str(fields.ORIGIN_ID),
      AUTHOR_ID: String(ctx.userId), EDITOR_ID: String(ctx.userId), PROVIDER_PARAMS: [], PROVIDER_DATA: null,
      RESULT_MARK: '0', RESULT_VALUE: null, RESULT_SUM: null, RESULT_CURRENCY_ID: null, RESULT_STATUS: '0',
      RESULT_STREAM: '0', RESULT_SOURCE_ID: null, AUTOCOMPLETE_RULE: '0',
      COMMUNICATIONS: comms,
      FILES: files.map(file => file.id).map(fileId => ({
        id: fileId, url: `${ctx.origin}/bitrix/tools/crm_show_file.php?fileId=${fileId}&ownerTypeId=6&ownerId=${id}&auth=`,
      })),
      STORAGE_TYPE_ID: '3',
      STORAGE_ELEMENT_IDS: files.map(file => String(file.id)),
    }
    flow.activities.push(activity)

    if (typeId === 4 && direction === '2' && completed === 'Y') {
      const recipients = comms.map(comm => comm.VALUE.trim()).filter(value => value !== '')
      const messageFrom = str(settings.MESSAGE_FROM).trim()
      const from = messageFrom === '' ? (responsible.crmMailbox ? responsible.email.trim() : '') : addressOf(messageFrom)
      const error = sendError(recipients, from)
      if (error) throw fail(error)
      addJournalEntry(ctx.state, new Date(ctx.now).toISOString(), 'outbox', activity.SUBJECT as string, {
        method: 'crm.activity.add', activityId: id, userId: ctx.userId,
        to: recipients, from: messageFrom === '' ? `${responsible.name} ${responsible.lastName} <${from}>` : messageFrom,
        copyTo: settings.DISABLE_SENDING_MESSAGE_COPY === 'Y' ? null : from,
        subject: activity.SUBJECT, body: activity.DESCRIPTION, descriptionType: Number(activity.DESCRIPTION_TYPE),
        owner: { typeId: owner.typeId, id: owner.id }, responsibleId: responsible.id,
        communications: comms.map(comm => ({ value: comm.VALUE, entityTypeId: Number(comm.ENTITY_TYPE_ID), entityId: Number(comm.ENTITY_ID) })),
        files: files.map(file => ({ id: file.id, name: file.name, size: file.size, head: Buffer.from(file.content, 'base64').subarray(0, 8).toString('latin1') })),
      })
    }
    return { result: id, rowsTouched: 1 }
  },
}

function requireActivity(params: Params, ctx: CallContext, access: 'read' | 'write'): CrmActivity {
  const id = positiveInt(params.id ?? params.ID)
  const activity = id === null ? undefined : invoiceFlow(ctx.state).activities.find(entry => Number(entry.ID) === id)
  if (!activity) throw fail('Activity is not found')
  const typeId = crmTypeOf(activity.OWNER_TYPE_ID)
  const owner = typeId === null ? undefined : findOwner(ctx.state, typeId, activity.OWNER_ID)
  if (typeId !== null && owner && !(access === 'read' ? canRead(ctx, typeId, owner) : canWrite(ctx, typeId, owner))) throw fail('Access denied.')
  return activity
}

function plain(activity: CrmActivity): Row {
  const row: Row = { ...activity }
  for (const key of SELECT_ONLY) delete row[key]
  return row
}

const get: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    return { result: plain(requireActivity(params, ctx, 'read')) }
  },
}

function matchesBindings(activity: CrmActivity, bindings: unknown): boolean {
  const list = asList(bindings).filter(isObject)
  if (list.length === 0) return true
  return list.some(binding => (isBlank(binding.OWNER_TYPE_ID) || Number(binding.OWNER_TYPE_ID) === Number(activity.OWNER_TYPE_ID))
    && (isBlank(binding.OWNER_ID) || Number(binding.OWNER_ID) === Number(activity.OWNER_ID)))
}

const list: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const filter = isObject(params.filter) ? { ...params.filter } : {}
    const bindings = filter.BINDINGS
    delete filter.BINDINGS
    const visible = invoiceFlow(ctx.state).activities.filter((activity) => {
      const typeId = crmTypeOf(activity.OWNER_TYPE_ID)
      const owner = typeId === null ? undefined : findOwner(ctx.state, typeId, activity.OWNER_ID)
      return typeId !== null && owner !== undefined && canRead(ctx, typeId, owner) && matchesBindings(activity, bindings)
    })
    const order = isObject(params.order) && Object.keys(params.order).length > 0 ? params.order : { START_TIME: 'ASC' }
    const page = runListQuery(visible, { filter, order, start: params.start }, {
      caseInsensitiveFields: true,
      temporalFields: new Map([['CREATED', 'datetime'], ['LAST_UPDATED', 'datetime'], ['START_TIME', 'datetime'], ['END_TIME', 'datetime'], ['DEADLINE', 'datetime']]),
    })
    const select = asList(params.select).map(value => String(value).toUpperCase())
    const rows = page.rows.map((activity) => {
      const base = plain(activity)
      const picked: Row = select.length === 0 || select.includes('*') ? base : Object.fromEntries(Object.entries(base).filter(([key]) => key === 'ID' || select.includes(key)))
      for (const key of SELECT_ONLY) if (select.includes(key)) picked[key] = activity[key]
      return picked
    })
    return { result: rows, total: page.total, ...(page.next === undefined ? {} : { next: page.next }), rowsTouched: page.scanned }
  },
}

const remove: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const activity = requireActivity(params, ctx, 'write')
    const activities = invoiceFlow(ctx.state).activities
    activities.splice(activities.indexOf(activity), 1)
    return { result: true }
  },
}

export const crmActivityMethods: Record<string, MethodDefinition> = {
  'crm.activity.add': add,
  'crm.activity.get': get,
  'crm.activity.list': list,
  'crm.activity.delete': remove,
}
