import type { PortalClient } from '../../src/portal/portal-client.ts'
import { describe, expect, it, vi } from 'vitest'
import { isLimitRefusal, withLimitWaits } from '../../src/portal/limit-wait.ts'
import { PortalError } from '../../src/portal/portal-error.ts'

const rateLimit = () => new PortalError('batch', 'QUERY_LIMIT_EXCEEDED', 'Too many requests', 503, true)
const operating = () => new PortalError('crm.item.list', 'OPERATION_TIME_LIMIT', 'Method is blocked', 429, true)

function fakeClient(failures: unknown[]): PortalClient & { calls: number } {
  const client = {
    calls: 0,
    call: vi.fn(async () => {
      client.calls++
      const next = failures.shift()
      if (next)
        throw next
      return 'ok'
    }),
    batch: vi.fn(async () => {
      client.calls++
      const next = failures.shift()
      if (next)
        throw next
      return {}
    }),
    roundTrips: () => client.calls,
  }
  return client as PortalClient & { calls: number }
}

describe('portal/limit-wait', () => {
  it('waits out rate-limit refusals, telling each wait, then returns the answer', async () => {
    const inner = fakeClient([rateLimit(), rateLimit(), rateLimit()])
    const waits: number[] = []
    const sleep = vi.fn(async () => {})
    const resumed = vi.fn()
    const client = withLimitWaits(inner, { sleep, onWait: ms => waits.push(ms), onResume: resumed })
    expect(await client.batch({ a: { method: 'profile' } })).toEqual({})
    expect(inner.calls).toBe(4)
    expect(waits).toEqual([2_000, 4_000, 8_000])
    expect(resumed).toHaveBeenCalledOnce()
  })

  it('waits longer for an operating-time block', async () => {
    const inner = fakeClient([operating()])
    const waits: number[] = []
    await withLimitWaits(inner, { sleep: async () => {}, onWait: ms => waits.push(ms) }).call('crm.item.list')
    expect(waits).toEqual([10_000])
  })

  it('never repeats anything else: a lost answer or a portal error goes straight to the caller', async () => {
    for (const error of [new PortalError('batch', 'NETWORK_ERROR', 'Network', 0, false), new PortalError('batch', 'INTERNAL_SERVER_ERROR', 'x', 500, false)]) {
      const inner = fakeClient([error])
      await expect(withLimitWaits(inner, { sleep: async () => {} }).batch({ a: { method: 'profile' } })).rejects.toBe(error)
      expect(inner.calls).toBe(1)
    }
  })

  it('gives up with the portal\'s refusal after maxWaitMs in all', async () => {
    const inner = fakeClient(Array.from({ length: 10 }, rateLimit))
    await expect(withLimitWaits(inner, { sleep: async () => {}, maxWaitMs: 5_000 }).call('profile')).rejects.toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED' })
    expect(inner.calls).toBe(3)
  })

  it('knows a limit refusal by code or status', () => {
    expect(isLimitRefusal(rateLimit())).toBe(true)
    expect(isLimitRefusal(operating())).toBe(true)
    expect(isLimitRefusal(new PortalError('x', 'ACCESS_DENIED', '', 403, true))).toBe(false)
    expect(isLimitRefusal(new Error('503'))).toBe(false)
  })
})
