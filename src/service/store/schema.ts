/**
 * The store's tables, one text for SQLite and PostgreSQL (only portable types: TEXT, BIGINT,
 * INTEGER). Times are ms since the epoch; days are the portal's calendar days `YYYY-MM-DD`.
 */
export const SCHEMA_STATEMENTS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS portals (
    member_id TEXT PRIMARY KEY,
    domain TEXT NOT NULL,
    client_endpoint TEXT NOT NULL,
    server_endpoint TEXT NOT NULL,
    application_token TEXT NOT NULL,
    time_zone TEXT,
    poll_mode INTEGER NOT NULL DEFAULT 0,
    last_nightly_day TEXT,
    poll_cursor_ms BIGINT
  )`,
  `CREATE TABLE IF NOT EXISTS tokens (
    member_id TEXT PRIMARY KEY,
    access_token TEXT NOT NULL,
    refresh_token TEXT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    user_id INTEGER NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS robot_calls (
    event_token TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    code TEXT NOT NULL,
    deal_id BIGINT NOT NULL,
    accepted_at_ms BIGINT NOT NULL,
    status TEXT NOT NULL,
    result_json TEXT
  )`,
]

/** A row of `portals` as both drivers return it (BIGINT may come back as a string from PostgreSQL). */
export interface PortalRow {
  member_id: string
  domain: string
  client_endpoint: string
  server_endpoint: string
  application_token: string
  time_zone: string | null
  poll_mode: number
  last_nightly_day: string | null
  poll_cursor_ms: number | string | null
}

export interface TokenRow {
  access_token: string
  refresh_token: string
  expires_at_ms: number | string
  user_id: number
}

export interface RobotCallRow {
  event_token: string
  member_id: string
  code: string
  deal_id: number | string
  accepted_at_ms: number | string
  status: string
  result_json: string | null
}
