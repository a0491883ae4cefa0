/**
 * The little the store needs from a SQL database. Statements are written once with PostgreSQL's
 * numbered parameters (`$1`); the SQLite driver rewrites them to anonymous `?`.
 */
export interface SqlDriver {
  /** Runs a write; answers how many rows it changed. */
  run: (sql: string, params?: readonly unknown[]) => Promise<number>
  all: <T>(sql: string, params?: readonly unknown[]) => Promise<T[]>
  close: () => Promise<void>
}
