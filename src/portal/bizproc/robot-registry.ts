import type { PortalClient } from '../portal-client.ts'

/**
 * The codes of the robots this application registered (R:
 * api-reference/bizproc/bizproc-robot/bizproc-robot-list.md); application context only.
 */
export async function listRobotCodes(client: PortalClient): Promise<string[]> {
  const codes = await client.call<unknown>('bizproc.robot.list')
  return Array.isArray(codes) ? codes.map(String) : []
}

/**
 * Registers a robot under `code` with its fields (R:
 * api-reference/bizproc/bizproc-robot/bizproc-robot-add.md); administrator's application context.
 */
export async function addRobot(client: PortalClient, code: string, fields: Readonly<Record<string, unknown>>): Promise<void> {
  await client.call('bizproc.robot.add', { CODE: code, ...fields })
}

/**
 * Replaces the fields of this application's robot `code` (R:
 * api-reference/bizproc/bizproc-robot/bizproc-robot-update.md).
 */
export async function updateRobot(client: PortalClient, code: string, fields: Readonly<Record<string, unknown>>): Promise<void> {
  await client.call('bizproc.robot.update', { CODE: code, FIELDS: fields })
}

/**
 * Answers a waiting robot (R: api-reference/bizproc/bizproc-robot/bizproc-event-send.md): the
 * return values for the next robots and a line for the workflow's log. Bitrix24 refuses an
 * unknown or used token with `ACCESS_DENIED` (thrown as `PortalError`).
 */
export async function sendRobotEvent(client: PortalClient, eventToken: string, returnValues: Readonly<Record<string, unknown>>, logMessage: string): Promise<void> {
  await client.call('bizproc.event.send', { EVENT_TOKEN: eventToken, RETURN_VALUES: returnValues, LOG_MESSAGE: logMessage })
}
