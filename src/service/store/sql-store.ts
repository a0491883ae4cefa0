import type { SqlDriver } from './sql-driver.ts'
import type { PortalRecord, ServiceStore } from './service-store.ts'
import type { PortalRow, RobotCallRow, TokenRow } from './schema.ts'
import { portalFromRow, robotCallFromRow, tokensFromRow } from './rows.ts'

/**
 * The store over any `SqlDriver` (SQLite or PostgreSQL): every statement is portable SQL, so both
 * databases behave alike and one test suite covers both. Uniqueness (event token, nightly day)
 * is the database's, not the process's: two service processes never run one call twice.
 */
export function createSqlStore(db: SqlDriver): ServiceStore {
  const one = async <T>(sql: string, params: readonly unknown[]): Promise<T | null> => (await db.all<T>(sql, params))[0] ?? null
  return {
    async savePortal(portal: PortalRecord) {
      await db.run(`INSERT INTO portals (member_id, domain, client_endpoint, server_endpoint, application_token, time_zone, poll_mode)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (member_id) DO UPDATE SET domain = excluded.domain, client_endpoint = excluded.client_endpoint,
          server_endpoint = excluded.server_endpoint, application_token = excluded.application_token,
          time_zone = excluded.time_zone, poll_mode = excluded.poll_mode`,
      [portal.memberId, portal.domain, portal.clientEndpoint, portal.serverEndpoint, portal.applicationToken, portal.timeZone, portal.pollMode ? 1 : 0])
    },
    async getPortal(memberId) {
      const row = await one<PortalRow>('SELECT * FROM portals WHERE member_id = $1', [memberId])
      return row ? portalFromRow(row) : null
    },
    async listPortals() {
      return (await db.all<PortalRow>('SELECT * FROM portals ORDER BY member_id')).map(portalFromRow)
    },
    async deletePortal(memberId) {
      for (const table of ['tokens', 'robot_calls', 'portals'])
        await db.run(`DELETE FROM ${table} WHERE member_id = $1`, [memberId])
    },
    async setTimeZone(memberId, timeZone) {
      await db.run('UPDATE portals SET time_zone = $2 WHERE member_id = $1', [memberId, timeZone])
    },
    async setPollMode(memberId, pollMode) {
      await db.run('UPDATE portals SET poll_mode = $2 WHERE member_id = $1', [memberId, pollMode ? 1 : 0])
    },
    async saveTokens(memberId, tokens) {
      await db.run(`INSERT INTO tokens (member_id, access_token, refresh_token, expires_at_ms, user_id) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (member_id) DO UPDATE SET access_token = excluded.access_token, refresh_token = excluded.refresh_token,
          expires_at_ms = excluded.expires_at_ms, user_id = excluded.user_id`,
      [memberId, tokens.accessToken, tokens.refreshToken, tokens.expiresAtMs, tokens.userId])
    },
    async getTokens(memberId) {
      const row = await one<TokenRow>('SELECT * FROM tokens WHERE member_id = $1', [memberId])
      return row ? tokensFromRow(row) : null
    },
    async claimNightly(memberId, day) {
      // One conditional UPDATE: the database decides, so a restart or a second process cannot claim the day again.
      const changed = await db.run(`UPDATE portals SET last_nightly_day = $2
        WHERE member_id = $1 AND (last_nightly_day IS NULL OR last_nightly_day < $2)`, [memberId, day])
      return changed === 1
    },
    async lastNightlyDay(memberId) {
      return (await one<PortalRow>('SELECT * FROM portals WHERE member_id = $1', [memberId]))?.last_nightly_day ?? null
    },
    async getPollCursor(memberId) {
      const cursor = (await one<PortalRow>('SELECT * FROM portals WHERE member_id = $1', [memberId]))?.poll_cursor_ms
      return cursor === null || cursor === undefined ? null : Number(cursor)
    },
    async setPollCursor(memberId, cursorMs) {
      await db.run('UPDATE portals SET poll_cursor_ms = $2 WHERE member_id = $1', [memberId, cursorMs])
    },
    async acceptRobotCall(call) {
      const changed = await db.run(`INSERT INTO robot_calls (event_token, member_id, code, deal_id, accepted_at_ms, status, result_json)
        VALUES ($1, $2, $3, $4, $5, 'pending', NULL) ON CONFLICT (event_token) DO NOTHING`,
      [call.eventToken, call.memberId, call.code, call.dealId, call.acceptedAtMs])
      return changed === 1 ? 'accepted' : 'duplicate'
    },
    async getRobotCall(eventToken) {
      const row = await one<RobotCallRow>('SELECT * FROM robot_calls WHERE event_token = $1', [eventToken])
      return row ? robotCallFromRow(row) : null
    },
    async finishRobotCall(eventToken, resultJson) {
      await db.run(`UPDATE robot_calls SET status = 'done', result_json = $2 WHERE event_token = $1`, [eventToken, resultJson])
    },
    async saveRobotAnswer(eventToken, resultJson) {
      // Never takes a call back from done or failed: only a call still waiting for its answer is updated.
      await db.run(`UPDATE robot_calls SET status = 'answering', result_json = $2 WHERE event_token = $1 AND status IN ('pending', 'answering')`, [eventToken, resultJson])
    },
    async failRobotCall(eventToken, resultJson) {
      await db.run(`UPDATE robot_calls SET status = 'failed', result_json = $2 WHERE event_token = $1`, [eventToken, resultJson])
    },
    async pendingRobotCalls() {
      return (await db.all<RobotCallRow>(`SELECT * FROM robot_calls WHERE status IN ('pending', 'answering') ORDER BY accepted_at_ms, event_token`)).map(robotCallFromRow)
    },
    close: () => db.close(),
  }
}
