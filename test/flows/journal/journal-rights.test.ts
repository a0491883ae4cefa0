// Who reads and who changes the execution journal, with each person's OWN app token (a frame session) over
// the strict emulator and the real SDK. The journal's smart process is created with closed permissions
// (`isSetOpenPermissions: 'N'`, R: api-reference/crm/universal/user-defined-object-types/crm-type-add.md:
// "Should new funnels be available to everyone", default Y): no role gets rights on it, only CRM
// administrators and the application acting with an administrator's token read and write it.
import type { JournalEntry } from '../../../src/domain/journal/journal-entry.ts'
import type { InvoiceDeskSettings } from '../../../src/domain/settings/settings.ts'
import type { PortalClient } from '../../../src/portal/portal-client.ts'
import type { RunningEmulator } from '../../emulator/server.ts'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { JOURNAL_TYPE_TITLE } from '../../../src/domain/journal/journal-entry.ts'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'
import { readStoredSettings } from '../../../src/domain/settings/read-settings.ts'
import { SETTINGS_SCHEMA_VERSION } from '../../../src/domain/settings/settings.ts'
import { installApp } from '../../../src/flows/install-app.ts'
import { readJournalForUser } from '../../../src/flows/journal/read-journal-for-user.ts'
import { recordJournal } from '../../../src/flows/journal/record-journal.ts'
import { EMPTY_JOURNAL_FILTER, journalTypeCommand, readJournal } from '../../../src/portal/journal/journal-store.ts'
import { startEmulator } from '../../emulator/server.ts'
import { appClient } from '../../support/app-client.ts'

const JOURNAL = 1030
const ADMIN = 1
const MANAGER = 2
const OTHER_MANAGER = 3

describe('flows/journal: who reads and who changes the journal (each person\'s own token)', () => {
  let emulator: RunningEmulator
  let admin: PortalClient
  let manager: PortalClient

  beforeAll(async () => {
    emulator = await startEmulator({ data: 'demo', limits: 'off' })
  })
  afterAll(() => emulator.close())
  beforeEach(async () => {
    emulator.engine.reset('demo')
    admin = await appClient(emulator, ADMIN)
    manager = await appClient(emulator, MANAGER)
    // Install's own command, made by the installing administrator.
    const command = journalTypeCommand(JOURNAL)
    await admin.call(command.method, command.params)
  })

  const settings: InvoiceDeskSettings = { ...defaultSettings(), journal: { entityTypeId: JOURNAL, keepDays: 100 } }
  const dealOf = (userId: number): number => Number(emulator.state.entities[2]!.items.find(deal => Number(deal.assignedById) === userId)!.id)
  const entry = (dealId: number | null, summary: string): JournalEntry => ({ by: 'runner', dealId, invoiceId: null, action: 'reminder', result: 'ok', summary, error: null })
  const journalItems = () => emulator.state.entities[JOURNAL]?.items ?? []

  async function refusal(call: Promise<unknown>): Promise<string> {
    return call.then(() => 'allowed', (error: { code?: string }) => error.code ?? 'unknown')
  }

  it('install creates the journal closed: a manager can neither list, add, edit nor delete entries', async () => {
    expect(await recordJournal(admin, settings, [entry(dealOf(MANAGER), 'Напоминание отправлено')])).toMatchObject({ status: 'written' })
    const written = journalItems()[0]!
    const before = JSON.stringify(journalItems())

    expect(await refusal(manager.call('crm.item.list', { entityTypeId: JOURNAL, select: ['id', 'title'] }))).toBe('ACCESS_DENIED')
    expect(await refusal(manager.call('crm.item.get', { entityTypeId: JOURNAL, id: written.id }))).toBe('ACCESS_DENIED')
    expect(await refusal(manager.call('crm.item.add', { entityTypeId: JOURNAL, fields: { title: 'Напоминание отправлено (подделка)', xmlId: 'idj|reminder|ok|user||' } }))).toBe('ACCESS_DENIED')
    expect(await refusal(manager.call('crm.item.update', { entityTypeId: JOURNAL, id: written.id, fields: { title: 'исправлено' } }))).toBe('ACCESS_DENIED')
    expect(await refusal(manager.call('crm.item.delete', { entityTypeId: JOURNAL, id: written.id }))).toBe('ACCESS_DENIED')
    expect(JSON.stringify(journalItems())).toBe(before)
    // The administrator still reads it all.
    expect((await readJournal(admin, JOURNAL, EMPTY_JOURNAL_FILTER)).entries.map(e => e.summary)).toEqual(['Напоминание отправлено'])
  })

  it('a manager\'s own action is journaled in the deal\'s timeline (guarded by the deal\'s rights), never in the journal', async () => {
    const own = dealOf(MANAGER)
    const written = await recordJournal(manager, settings, [entry(own, 'Счёт выставлен')])
    expect(written).toEqual({ status: 'written', where: 'deal-timeline' })
    expect(journalItems()).toHaveLength(0)
    const timeline = emulator.state.journal.filter(e => e.kind === 'timeline' && e.details.type === 'logmessage')
    expect(timeline.map(e => [(e.details.owner as { id: number }).id, e.details.text])).toEqual([[own, 'Счёт выставлен']])
    // Another manager's deal: Bitrix24 refuses the log message (crm-timeline-logmessage-add.md: edit rights on the object).
    const foreign = await recordJournal(manager, settings, [entry(dealOf(OTHER_MANAGER), 'подделка')])
    expect(foreign).toMatchObject({ status: 'failed' })
    expect(emulator.state.journal.filter(e => e.kind === 'timeline')).toHaveLength(1)
    // Reading is the deal's right too (crm-timeline-logmessage-list.md): the other manager cannot read this entry.
    const other = await appClient(emulator, OTHER_MANAGER)
    expect(await refusal(other.call('crm.timeline.logmessage.list', { entityTypeId: 2, entityId: own }))).toBe('ACCESS_DENIED')
    const read = await manager.call<unknown>('crm.timeline.logmessage.list', { entityTypeId: 2, entityId: own })
    expect(JSON.stringify(read)).toContain('Счёт выставлен')
  })

  it('read for a person: the application reads the journal, the person\'s own token decides which deals they may see', async () => {
    const mine = dealOf(MANAGER)
    const theirs = dealOf(OTHER_MANAGER)
    await recordJournal(admin, settings, [entry(mine, 'моя сделка'), entry(theirs, 'чужая сделка'), entry(null, 'без сделки')])

    const forManager = await readJournalForUser(admin, manager, JOURNAL, EMPTY_JOURNAL_FILTER)
    expect(forManager.entries.map(e => e.summary)).toEqual(['моя сделка'])
    const forAdmin = await readJournalForUser(admin, admin, JOURNAL, EMPTY_JOURNAL_FILTER)
    expect(forAdmin.entries.map(e => e.summary)).toEqual(['без сделки', 'чужая сделка', 'моя сделка'])
    // Deals are named by their titles, read by the same check with the person's own token: never a title they may not read.
    const titleOf = (id: number): string => String(emulator.state.entities[2]!.byId.get(id)!.title)
    expect([...forManager.dealTitles]).toEqual([[mine, titleOf(mine)]])
    expect(new Map(forAdmin.dealTitles)).toEqual(new Map([[mine, titleOf(mine)], [theirs, titleOf(theirs)]]))
    // A browser asking for the other manager's deal by filter gets nothing either.
    const asked = await readJournalForUser(admin, manager, JOURNAL, { ...EMPTY_JOURNAL_FILTER, dealId: theirs })
    expect(asked.entries).toEqual([])
  })

  it('an earlier install\'s open journal: install switches to a closed one and names the open one for the admin', async () => {
    // What installs before closed journals created (crm.type.add's default isSetOpenPermissions Y).
    await admin.call('crm.type.add', { fields: { title: JOURNAL_TYPE_TITLE, entityTypeId: 1040, relations: { parent: [{ entityTypeId: 2, isChildrenListEnabled: 'false' }] } } })
    emulator.state.entities[JOURNAL]!.items.length = 0
    const old = { ...settings, journal: { entityTypeId: 1040, keepDays: 100 } }
    const reported: number[] = []
    await installApp(admin, {
      handlerUrl: 'https://app.example/', language: 'ru', settings: old, storedSettingsVersion: SETTINGS_SCHEMA_VERSION, finish: async () => {},
      onProgress: progress => progress.openJournalLeft !== undefined && reported.push(progress.openJournalLeft),
    })
    expect(reported).toEqual([1040])
    const stored = readStoredSettings(emulator.state.app.options).settings
    expect(stored.journal.entityTypeId).toBe(JOURNAL)
    // From now on a manager's own token cannot touch what the app journals.
    await recordJournal(admin, stored, [entry(dealOf(MANAGER), 'после переустановки')])
    expect(await refusal(manager.call('crm.item.list', { entityTypeId: stored.journal.entityTypeId! }))).toBe('ACCESS_DENIED')
  })
})
