import type { ServiceStore } from './service-store.ts'
import { join } from 'node:path'
import { openPostgresStore } from './postgres-store.ts'
import { openSqliteStore } from './sqlite-store.ts'

/**
 * The service's store from its environment: PostgreSQL when `DATABASE_URL` is set, else the
 * embedded SQLite file `invoice-desk.sqlite` in `INVOICE_DESK_DATA_DIR` (default `./data`).
 */
export async function openStore(env: NodeJS.ProcessEnv): Promise<ServiceStore> {
  if (env.DATABASE_URL)
    return openPostgresStore(env.DATABASE_URL)
  return openSqliteStore(join(env.INVOICE_DESK_DATA_DIR || 'data', 'invoice-desk.sqlite'))
}
