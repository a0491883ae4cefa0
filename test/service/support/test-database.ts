import { randomBytes } from 'node:crypto'

/** The PostgreSQL database the tests may use (`.ci/run` sets it), or null. */
export function testDatabaseUrl(): string | null {
  return process.env.INVOICE_DESK_TEST_DATABASE_URL || null
}

/** A fresh schema name, so test files running in parallel never share tables. */
export function uniqueSchema(): string {
  return `t_${randomBytes(6).toString('hex')}`
}
