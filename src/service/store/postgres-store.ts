import type { ServiceStore } from './service-store.ts'
import type { SqlDriver } from './sql-driver.ts'
import pg from 'pg'
import { SCHEMA_STATEMENTS } from './schema.ts'
import { createSqlStore } from './sql-store.ts'

/** Where the tables live: a schema name of letters, digits and `_` (tests use one schema each). */
export interface PostgresStoreOptions {
  /** Default `public`. */
  readonly schema?: string
}

/**
 * The PostgreSQL store (`DATABASE_URL`): a small pool; creates its schema and tables on open.
 * The same statements as the embedded store (`sql-store.ts`).
 */
export async function openPostgresStore(connectionString: string, options: PostgresStoreOptions = {}): Promise<ServiceStore> {
  const schema = options.schema ?? 'public'
  if (!/^\w+$/.test(schema))
    throw new Error(`Invalid schema name: ${schema}`)
  // Without an explicit schema the URL's own settings (e.g. `?options=-c search_path=…`) apply.
  const pool = new pg.Pool({ connectionString, max: 4, ...(options.schema ? { options: `-c search_path=${schema}` } : {}) })
  // An idle client's error (the server restarted) must not crash the service; the next query reconnects.
  pool.on('error', () => {})
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
  const driver: SqlDriver = {
    run: async (sql, params = []) => (await pool.query(sql, [...params])).rowCount ?? 0,
    all: async <T>(sql: string, params: readonly unknown[] = []) => (await pool.query(sql, [...params])).rows as T[],
    close: () => pool.end(),
  }
  for (const statement of SCHEMA_STATEMENTS)
    await driver.run(statement)
  return createSqlStore(driver)
}
