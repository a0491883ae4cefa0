import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqliteStore } from '../../src/service/store/sqlite-store.ts'
import { describeStoreContract } from './store-contract.ts'

describeStoreContract('embedded SQLite', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'invoice-desk-store-')), 'store.sqlite')
  return { store: openSqliteStore(file), reopen: async () => openSqliteStore(file) }
})
