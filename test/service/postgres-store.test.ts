import { describe, it } from 'vitest'
import { openPostgresStore } from '../../src/service/store/postgres-store.ts'
import { describeStoreContract } from './store-contract.ts'
import { testDatabaseUrl, uniqueSchema } from './support/test-database.ts'

// Runs whenever INVOICE_DESK_TEST_DATABASE_URL names a PostgreSQL database (.ci/run starts one and sets it).
const url = testDatabaseUrl()
if (url) {
  describeStoreContract('PostgreSQL', async () => {
    const schema = uniqueSchema()
    return { store: await openPostgresStore(url, { schema }), reopen: () => openPostgresStore(url, { schema }) }
  })
}
else {
  describe('service/store (PostgreSQL)', () => {
    it.skip('needs INVOICE_DESK_TEST_DATABASE_URL', () => {})
  })
}
