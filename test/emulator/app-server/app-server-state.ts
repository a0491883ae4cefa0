/**
 * What the portal keeps about the installed application's server side: its application token, event handlers
 * (event.bind), the offline event queue, its robots (bizproc.robot.add), the robots an admin placed on deal stages
 * and the robot calls made. Lives on the engine, not in the portal data: like app tokens it survives
 * `/emulator/reset` (an installation is configuration, not CRM data).
 */
import { randomBytes } from 'node:crypto'

/** An event handler (R: api-reference/events/event-get.md: event, handler, auth_type, offline). */
export interface EventBinding {
  id: number
  event: string
  handler: string
  /** 0 = the user whose action raised the event. */
  authType: number
  offline: boolean
  authConnector: string
}

/** A record of the offline queue (R: api-reference/events/event-offline-get.md, event-offline-list.md). */
export interface OfflineRecord {
  ID: number
  TIMESTAMP_X: string
  EVENT_NAME: string
  EVENT_DATA: unknown
  EVENT_ADDITIONAL: unknown
  MESSAGE_ID: string
  PROCESS_ID: string
  ERROR: 0 | 1
  /** Event + object: the queue keeps one record per changed object (R: api-reference/events/offline-events.md). */
  objectKey: string
  /** Emulator clock, ms (ordering). */
  at: number
}

export interface RobotProperty {
  Name: unknown
  Description?: unknown
  Type?: string
  Options?: unknown
  Required?: string
  Multiple?: string
  Default?: unknown
}

/** A registered app robot (R: api-reference/bizproc/bizproc-robot/bizproc-robot-add.md). */
export interface AppRobot {
  CODE: string
  HANDLER: string
  AUTH_USER_ID: number
  USE_SUBSCRIPTION: string
  NAME: string | Record<string, string>
  DESCRIPTION: string | Record<string, string>
  PROPERTIES: Record<string, RobotProperty>
  RETURN_PROPERTIES: Record<string, RobotProperty>
  DOCUMENT_TYPE: string[]
  FILTER: { INCLUDE?: unknown[], EXCLUDE?: unknown[] }
  USE_PLACEMENT: string
  PLACEMENT_HANDLER: string
}

/** A robot an admin put on a deal stage in the robot designer. */
export interface PlacedRobot {
  id: number
  categoryId: number
  stageId: string
  code: string
  properties: Record<string, string>
}

export type RobotCallState = 'waiting' | 'answered' | 'completed'
export type DeliveryState = 'pending' | 'delivered' | 'failed'

export interface DeliveryAttempt { at: string, ok: boolean, status: number | null, error: string | null }

/** One run of a placed robot: a new workflow and event token each time the deal enters the stage. */
export interface RobotCall {
  callId: number
  workflowId: string
  eventToken: string
  code: string
  placedId: number
  dealId: number
  categoryId: number
  stageId: string
  handler: string
  /** The form-encoded body as first sent; a redelivery repeats it. */
  body: string
  useSubscription: boolean
  state: RobotCallState
  delivery: DeliveryState
  attempts: DeliveryAttempt[]
  properties: Record<string, string>
  returnValues: Record<string, unknown> | null
  logMessage: string | null
  answeredAt: string | null
  journalId: number | null
}

export interface AppServerState {
  /** One per installation; in every event, install and robot call (R: api-reference/events/safe-event-handlers.md). */
  applicationToken: string
  /** false: the portal cannot reach the app's server (behind NAT): online deliveries fail, offline events still queue. */
  reachable: boolean
  bindings: EventBinding[]
  nextBindingId: number
  offline: OfflineRecord[]
  nextOfflineId: number
  robots: AppRobot[]
  placed: PlacedRobot[]
  nextPlacedId: number
  calls: RobotCall[]
  nextCallId: number
}

export function createAppServerState(): AppServerState {
  return {
    applicationToken: randomBytes(16).toString('hex'),
    reachable: true,
    bindings: [],
    nextBindingId: 1,
    offline: [],
    nextOfflineId: 1,
    robots: [],
    placed: [],
    nextPlacedId: 1,
    calls: [],
    nextCallId: 1,
  }
}
