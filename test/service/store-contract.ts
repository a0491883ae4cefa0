import type { PortalRecord, ServiceStore } from '../../src/service/store/service-store.ts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

/** A portal as ONAPPINSTALL brings it (made-up values). */
export function portalRecord(memberId = 'member-a', overrides: Partial<PortalRecord> = {}): PortalRecord {
  return {
    memberId,
    domain: `${memberId}.bitrix24.test`,
    clientEndpoint: `https://${memberId}.bitrix24.test/rest/`,
    serverEndpoint: 'https://oauth.bitrix24.test/rest/',
    applicationToken: `app-token-${memberId}`,
    timeZone: null,
    pollMode: false,
    ...overrides,
  }
}

/**
 * The one suite every `ServiceStore` passes: the embedded SQLite store and PostgreSQL run it alike
 * (`sqlite-store.test.ts`, `postgres-store.test.ts`). `open` gives a fresh, empty store; `reopen`
 * the same data through a new connection (a restarted service).
 */
export function describeStoreContract(name: string, open: () => Promise<{ store: ServiceStore, reopen: () => Promise<ServiceStore> }>): void {
  describe(`service/store (${name})`, () => {
    let store: ServiceStore
    let reopen: () => Promise<ServiceStore>
    const opened: ServiceStore[] = []
    beforeEach(async () => {
      ({ store, reopen } = await open())
      opened.push(store)
    })
    afterEach(async () => {
      for (const each of opened.splice(0))
        await each.close()
    })
    const restart = async () => {
      const next = await reopen()
      opened.push(next)
      return next
    }

    it('keeps portals apart by member id and replaces one on reinstall, keeping its nightly day and cursor', async () => {
      await store.savePortal(portalRecord('member-a'))
      await store.savePortal(portalRecord('member-b', { timeZone: 'Asia/Yekaterinburg' }))
      await store.claimNightly('member-a', '2026-12-04')
      await store.setPollCursor('member-a', 1_700_000_000_123)
      await store.savePortal(portalRecord('member-a', { applicationToken: 'new-app-token' }))
      expect((await store.getPortal('member-a'))?.applicationToken).toBe('new-app-token')
      expect(await store.lastNightlyDay('member-a')).toBe('2026-12-04')
      expect(await store.getPollCursor('member-a')).toBe(1_700_000_000_123)
      expect((await store.getPortal('member-b'))?.timeZone).toBe('Asia/Yekaterinburg')
      expect((await store.listPortals()).map(p => p.memberId)).toEqual(['member-a', 'member-b'])
      expect(await store.getPortal('member-c')).toBeNull()
    })

    it('stores tokens per portal and keeps them across a restart', async () => {
      await store.savePortal(portalRecord('member-a'))
      await store.saveTokens('member-a', { accessToken: 'a1', refreshToken: 'r1', expiresAtMs: 1_800_000_000_000, userId: 1 })
      await store.saveTokens('member-a', { accessToken: 'a2', refreshToken: 'r2', expiresAtMs: 1_800_000_360_000, userId: 1 })
      const again = await restart()
      expect(await again.getTokens('member-a')).toEqual({ accessToken: 'a2', refreshToken: 'r2', expiresAtMs: 1_800_000_360_000, userId: 1 })
      expect(await again.getTokens('member-b')).toBeNull()
    })

    it('lets exactly one of several concurrent claims take a portal-day, and none after a restart', async () => {
      await store.savePortal(portalRecord('member-a'))
      const claims = await Promise.all([1, 2, 3, 4].map(() => store.claimNightly('member-a', '2026-12-05')))
      expect(claims.filter(Boolean)).toHaveLength(1)
      const again = await restart()
      expect(await again.claimNightly('member-a', '2026-12-05')).toBe(false)
      expect(await again.claimNightly('member-a', '2026-12-04')).toBe(false)
      expect(await again.claimNightly('member-a', '2026-12-06')).toBe(true)
    })

    it('accepts a robot call once by its event token and resumes the unanswered ones after a restart', async () => {
      await store.savePortal(portalRecord('member-a'))
      const call = { eventToken: 'evt-1', memberId: 'member-a', code: 'invoice_desk_issue', dealId: 7, acceptedAtMs: 1000 }
      expect(await store.acceptRobotCall(call)).toBe('accepted')
      expect(await store.acceptRobotCall(call)).toBe('duplicate')
      expect(await store.acceptRobotCall({ ...call, eventToken: 'evt-2', acceptedAtMs: 2000 })).toBe('accepted')
      await store.finishRobotCall('evt-1', '{"outcome":"issued"}')
      const again = await restart()
      expect((await again.pendingRobotCalls()).map(c => c.eventToken)).toEqual(['evt-2'])
      expect(await again.getRobotCall('evt-1')).toMatchObject({ status: 'done', resultJson: '{"outcome":"issued"}', dealId: 7 })
      expect(await again.acceptRobotCall(call)).toBe('duplicate')
    })

    it('keeps an answer being retried across a restart, resumes it, and never revives a call answered or given up', async () => {
      await store.savePortal(portalRecord('member-a'))
      for (const [token, at] of [['evt-a', 1], ['evt-b', 2], ['evt-c', 3]] as const)
        await store.acceptRobotCall({ eventToken: token, memberId: 'member-a', code: 'c', dealId: 5, acceptedAtMs: at })
      await store.saveRobotAnswer('evt-a', '{"outcome":"issued","attempts":2}')
      await store.saveRobotAnswer('evt-b', '{"outcome":"issued","attempts":1}')
      await store.failRobotCall('evt-b', '{"outcome":"issued","attempts":8,"reason":"attempts-exhausted"}')
      await store.finishRobotCall('evt-c', '{"outcome":"issued"}')
      // A late write of a retry must not take a finished call back.
      await store.saveRobotAnswer('evt-b', '{"outcome":"issued","attempts":9}')
      await store.saveRobotAnswer('evt-c', '{"outcome":"issued","attempts":9}')
      const again = await restart()
      expect((await again.pendingRobotCalls()).map(c => [c.eventToken, c.status, c.resultJson])).toEqual([['evt-a', 'answering', '{"outcome":"issued","attempts":2}']])
      expect(await again.getRobotCall('evt-b')).toMatchObject({ status: 'failed', resultJson: '{"outcome":"issued","attempts":8,"reason":"attempts-exhausted"}' })
      expect(await again.getRobotCall('evt-c')).toMatchObject({ status: 'done', resultJson: '{"outcome":"issued"}' })
    })

    it('forgets everything of an uninstalled portal', async () => {
      await store.savePortal(portalRecord('member-a'))
      await store.saveTokens('member-a', { accessToken: 'a', refreshToken: 'r', expiresAtMs: 1, userId: 1 })
      await store.acceptRobotCall({ eventToken: 'evt-9', memberId: 'member-a', code: 'c', dealId: 1, acceptedAtMs: 1 })
      await store.deletePortal('member-a')
      expect(await store.getPortal('member-a')).toBeNull()
      expect(await store.getTokens('member-a')).toBeNull()
      expect(await store.pendingRobotCalls()).toEqual([])
    })
  })
}
