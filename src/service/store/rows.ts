import type { PortalRecord, PortalTokens, RobotCallRecord, RobotCallStatus } from './service-store.ts'
import type { PortalRow, RobotCallRow, TokenRow } from './schema.ts'

/** Maps a `portals` row to the record. */
export function portalFromRow(row: PortalRow): PortalRecord {
  return {
    memberId: row.member_id,
    domain: row.domain,
    clientEndpoint: row.client_endpoint,
    serverEndpoint: row.server_endpoint,
    applicationToken: row.application_token,
    timeZone: row.time_zone,
    pollMode: Number(row.poll_mode) === 1,
  }
}

/** Maps a `tokens` row to the record. */
export function tokensFromRow(row: TokenRow): PortalTokens {
  return { accessToken: row.access_token, refreshToken: row.refresh_token, expiresAtMs: Number(row.expires_at_ms), userId: Number(row.user_id) }
}

const ROBOT_CALL_STATUSES: readonly RobotCallStatus[] = ['pending', 'answering', 'done', 'failed']

/** Maps a `robot_calls` row to the record. */
export function robotCallFromRow(row: RobotCallRow): RobotCallRecord {
  return {
    eventToken: row.event_token,
    memberId: row.member_id,
    code: row.code,
    dealId: Number(row.deal_id),
    acceptedAtMs: Number(row.accepted_at_ms),
    status: ROBOT_CALL_STATUSES.includes(row.status as RobotCallStatus) ? row.status as RobotCallStatus : 'pending',
    resultJson: row.result_json,
  }
}
