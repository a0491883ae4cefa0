import { describe, expect, it } from 'vitest'
import { useHookEmulator } from '../support/hook-emulator.ts'
import { portalClockOf } from '../../src/domain/portal-clock.ts'
import { PortalError } from '../../src/portal/portal-error.ts'
import { readServerTime } from '../../src/portal/server-time.ts'

describe('portal/readServerTime against the emulator, through the SDK', () => {
  const hook = useHookEmulator()
  const portal = hook.portal

  it('answers the portal\'s clock, not this machine\'s, in ONE request', async () => {
    // The portal runs five hours ahead of this machine.
    const portalNow = new Date(Date.now() + 5 * 3_600_000)
    hook.emulator.engine.clock.set(portalNow)
    const client = await portal()
    const before = hook.emulator.stats.httpRequests
    const answer = await readServerTime(client)
    expect(answer).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/)
    const clock = portalClockOf(answer)
    expect(clock).not.toBeNull()
    expect(Math.abs(clock!.instantMs - portalNow.getTime())).toBeLessThan(5_000)
    expect(hook.emulator.stats.httpRequests - before).toBe(1)
  })

  it('throws the portal\'s error when server.time fails', async () => {
    // The SDK tries a 503 again: every attempt fails.
    hook.emulator.engine.faults.add({ method: 'server.time', times: 10, kind: 'error', status: 503, code: 'INTERNAL_SERVER_ERROR', description: 'Portal unavailable' })
    const error = await readServerTime(await portal()).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(PortalError)
    expect((error as PortalError).method).toBe('server.time')
  })
})
