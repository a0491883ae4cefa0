import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkStatementAccounts } from '../../src/flows/statement-accounts.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { startEmulator } from '../emulator/server.ts'
import { OUR_ACCOUNT } from '../fixtures/bank/statement-builder.ts'

const FOREIGN = '40702810500000000777'

describe('flows/statement-accounts against the demo portal, through the SDK', () => {
  let emulator: RunningEmulator
  let caCertificate: string

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off' })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())

  const portal = () => connectWithWebhook(emulator.webhookUrl, { caCertificate })

  it('finds the statement\'s account among our company\'s bank details', async () => {
    expect(await checkStatementAccounts(await portal(), { accounts: [OUR_ACCOUNT] })).toEqual({ status: 'ours', foreign: [] })
  })

  it('names a statement account that is not among them', async () => {
    expect(await checkStatementAccounts(await portal(), { accounts: [OUR_ACCOUNT, FOREIGN] })).toEqual({ status: 'foreign', foreign: [FOREIGN] })
  })

  it('says it cannot check when the bank details cannot be read (never "ours")', async () => {
    emulator.engine.faults.add({ method: 'crm.requisite.bankdetail.list', times: 1, kind: 'error', status: 403, code: 'ACCESS_DENIED', description: 'Access denied.' })
    expect(await checkStatementAccounts(await portal(), { accounts: [FOREIGN] })).toEqual({ status: 'unknown', foreign: [] })
  })

  it('says it cannot check when the portal lists no bank details, and for a file without accounts', async () => {
    const saved = emulator.state.bankDetails
    emulator.state.bankDetails = []
    try {
      expect(await checkStatementAccounts(await portal(), { accounts: [FOREIGN] })).toEqual({ status: 'unknown', foreign: [] })
    }
    finally {
      emulator.state.bankDetails = saved
    }
    expect(await checkStatementAccounts(await portal(), { accounts: [] })).toEqual({ status: 'unknown', foreign: [] })
  })
})
