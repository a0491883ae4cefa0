/**
 * The robot call's body: what Bitrix24's queue server POSTs to a robot's HANDLER. The REST docs name the
 * parts (R: api-reference/bizproc/bizproc-robot/index.md «How Result Waiting Works»: HANDLER gets the data and
 * EVENT_TOKEN; bizproc-event-send.md: the token format) but print no request; the field set is the SDK's
 * `ActivityHandlerParams` / `HandlerAuthParams` (@bitrix24/b24jssdk types: event_token, workflow_id, code,
 * document_id, document_type, properties, use_subscription, timeout_duration, ts, auth).
 */
import { randomBytes, randomInt } from 'node:crypto'
import type { AppRobot, PlacedRobot } from './app-server-state.ts'

/** `67a2ffdb2c57a3.35276854`: the form of WORKFLOW_ID (R: api-reference/bizproc/bizproc-task/bizproc-task-list.md). */
export function newWorkflowId(): string {
  return `${randomBytes(7).toString('hex')}.${String(randomInt(10_000_000, 99_999_999))}`
}

/** `<workflow>|A51601_82584_96831_81132|<32 chars>.<64 hex>`: the form bizproc-event-send.md shows. */
export function newEventToken(workflowId: string): string {
  const part = (): string => String(randomInt(10_000, 99_999))
  const chars = randomBytes(24).toString('base64').replace(/[^a-zA-Z0-9]/g, '').padEnd(32, 'x').slice(0, 32)
  return `${workflowId}|A${part()}_${part()}_${part()}_${part()}|${chars}.${randomBytes(32).toString('hex')}`
}

/** Property values the robot gets: its defaults, overridden by what the admin set when placing it. Strings, as a form carries them. */
export function robotPropertyValues(robot: AppRobot, placed: PlacedRobot): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [key, property] of Object.entries(robot.PROPERTIES)) {
    if (property.Default !== undefined && property.Default !== null) values[key] = String(property.Default)
  }
  for (const [key, value] of Object.entries(placed.properties)) if (key in robot.PROPERTIES) values[key] = value
  return values
}

export interface RobotCallInput {
  workflowId: string
  eventToken: string
  robot: AppRobot
  dealId: number
  properties: Record<string, string>
  ts: number
  auth: Record<string, string>
}

/** The payload, keys in the SDK type's order; `USE_SUBSCRIPTION` empty means Y (bizproc-robot-add.md). */
export function robotCallPayload(input: RobotCallInput): Record<string, unknown> {
  return {
    event_token: input.eventToken,
    workflow_id: input.workflowId,
    code: input.robot.CODE,
    document_id: ['crm', 'CCrmDocumentDeal', `DEAL_${input.dealId}`],
    document_type: ['crm', 'CCrmDocumentDeal', 'DEAL'],
    properties: input.properties,
    use_subscription: input.robot.USE_SUBSCRIPTION === 'N' ? 'N' : 'Y',
    timeout_duration: '0',
    ts: String(input.ts),
    auth: input.auth,
  }
}

/** Whether the robot is offered for deals in the cloud (FILTER, R: bizproc-robot-add.md: `b24` / `box` name the edition, arrays a full or partial document type). */
export function robotAvailableForDeals(robot: AppRobot): boolean {
  const matches = (rule: unknown): boolean => {
    if (typeof rule === 'string') return rule === 'b24'
    if (!Array.isArray(rule)) return false
    const deal = ['crm', 'CCrmDocumentDeal', 'DEAL']
    return rule.every((part, index) => String(part) === deal[index])
  }
  const include = robot.FILTER.INCLUDE
  const exclude = robot.FILTER.EXCLUDE ?? []
  if (exclude.some(matches)) return false
  if (include && include.length > 0 && !include.some(matches)) return false
  return true
}

/** The robot's name in a language: NAME is a string or a lang map (bizproc-robot-add.md). */
export function localized(value: string | Record<string, string>, lang: string): string {
  if (typeof value === 'string') return value
  return value[lang] ?? value.ru ?? value.en ?? Object.values(value)[0] ?? ''
}
