// The portal state fingerprint (GET /emulator/state-fingerprint): reads keep it, writes change it.
import { describe, expect, it } from 'vitest'
import { stateFingerprint } from '../control/state-fingerprint.ts'
import { generatePortal } from '../data/generate.ts'
import { useDemoPortal, type DemoPortal } from './rest-client.ts'

let portal: DemoPortal
useDemoPortal((ready) => {
  portal = ready
})

const fingerprint = async (): Promise<string> => String((await portal.client.control('/emulator/state-fingerprint')).body.fingerprint)

describe('state fingerprint', () => {
  it('is a sha256 hex, equal for equal states and independent of the clock', async () => {
    const now = Date.parse('2026-03-15T10:00:00+03:00')
    expect(stateFingerprint(generatePortal('demo', now, 'http://app'))).toBe(stateFingerprint(generatePortal('demo', now, 'http://app')))
    const before = await fingerprint()
    expect(before).toMatch(/^[0-9a-f]{64}$/)
    await portal.client.control('/emulator/clock', { now: '2026-03-20T10:00:00+03:00' })
    await portal.client.control('/emulator/stats/reset', {})
    expect(await fingerprint()).toBe(before)
  })

  it('a read (crm.item.list, timeline and workflow lists) leaves it unchanged', async () => {
    const before = await fingerprint()
    await portal.client.hook('crm.item.list', { entityTypeId: 31, filter: { '%title': 'а' } })
    await portal.client.hook('crm.item.get', { entityTypeId: 2, id: portal.dealOf2 })
    await portal.client.hook('crm.timeline.logmessage.list', { entityTypeId: 2, entityId: portal.dealOf2 })
    await portal.client.hook('bizproc.workflow.template.list', {})
    expect(await fingerprint()).toBe(before)
  })

  it('a write changes it: crm.timeline.logmessage.add, crm.item.add, a Map entry (user options)', async () => {
    const start = await fingerprint()
    const logged = await portal.client.hook('crm.timeline.logmessage.add', { fields: { entityTypeId: 2, entityId: portal.dealOf2, title: 'Тест', text: 'текст', iconCode: 'info' } })
    expect(logged.status).toBe(200)
    const afterLog = await fingerprint()
    expect(afterLog).not.toBe(start)
    await portal.client.hook('crm.item.add', { entityTypeId: 3, fields: { name: 'Новый' } })
    const afterAdd = await fingerprint()
    expect(afterAdd).not.toBe(afterLog)
    await portal.client.control('/emulator/user-options', { userId: 2, options: { theme: 'dark' } })
    expect(await fingerprint()).not.toBe(afterAdd)
  })
})
