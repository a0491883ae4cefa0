import type { ServiceStore } from './service-store.ts'
import type { SqlDriver } from './sql-driver.ts'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { SCHEMA_STATEMENTS } from './schema.ts'
import { createSqlStore } from './sql-store.ts'

/** `$1`-style statement → SQLite's anonymous `?` with the values in the order they appear. */
function toSqlite(sql: string, params: readonly unknown[]): [string, unknown[]] {
  const ordered: unknown[] = []
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    ordered.push(params[Number(n) - 1])
    return '?'
  })
  return [text, ordered]
}

/**
 * The embedded store: one SQLite file (better-sqlite3), WAL journal so a killed process loses
 * nothing it acknowledged; `:memory:` for tests. Creates the file's folder and tables.
 */
export function openSqliteStore(file: string): ServiceStore {
  if (file !== ':memory:')
    mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 5000')
  for (const statement of SCHEMA_STATEMENTS)
    db.exec(statement)
  const driver: SqlDriver = {
    run: async (sql, params = []) => {
      const [text, values] = toSqlite(sql, params)
      return db.prepare(text).run(...values).changes
    },
    all: async <T>(sql: string, params: readonly unknown[] = []) => {
      const [text, values] = toSqlite(sql, params)
      return db.prepare(text).all(...values) as T[]
    },
    close: async () => { db.close() },
  }
  return createSqlStore(driver)
}
