/**
 * What the service keeps, and nothing more: each portal it serves (member id, domain, REST and
 * OAuth endpoints, the application token every incoming call is checked against), its OAuth
 * tokens, its time zone, the day of its last nightly run, its poll cursor and the robot calls
 * accepted but not yet answered. No personal data: no names, e-mails or deal contents.
 */

/** A portal the app is installed on. */
export interface PortalRecord {
  /** `auth[member_id]`: the portal's identity in every call Bitrix24 makes. */
  readonly memberId: string
  readonly domain: string
  /** `auth[client_endpoint]`, e.g. `https://x.bitrix24.ru/rest/`. */
  readonly clientEndpoint: string
  /** `auth[server_endpoint]`, the OAuth server's REST URL. */
  readonly serverEndpoint: string
  /** `auth[application_token]` from ONAPPINSTALL (R: api-reference/events/safe-event-handlers.md). */
  readonly applicationToken: string
  /** IANA zone, or null until read. */
  readonly timeZone: string | null
  /** Whether Bitrix24 cannot call the service (poll mode for this portal). */
  readonly pollMode: boolean
}

/** The app's OAuth tokens for one portal (R: settings/oauth/index.md). */
export interface PortalTokens {
  readonly accessToken: string
  readonly refreshToken: string
  /** When the access token expires, ms since the epoch. */
  readonly expiresAtMs: number
  /** The user the tokens act as (the installing administrator). */
  readonly userId: number
}

/** Where a robot call stands (see `RobotCallRecord.status`). */
export type RobotCallStatus = 'pending' | 'answering' | 'done' | 'failed'

/** A robot call Bitrix24 made, accepted before it was answered 200. */
export interface RobotCallRecord {
  /** `event_token`: unique per call; a retry of the same call repeats it. */
  readonly eventToken: string
  readonly memberId: string
  /** The robot's CODE. */
  readonly code: string
  readonly dealId: number
  readonly acceptedAtMs: number
  /**
   * `pending` until the issue chain has a result; `answering` while that result is being handed to
   * Bitrix24 with `bizproc.event.send` (retried with backoff, the chain is never run again);
   * `done` once Bitrix24 took the answer; `failed` when it was given up (the reason in `resultJson`).
   */
  readonly status: RobotCallStatus
  /**
   * The chain's outcome as JSON once known (invoice id, number, outcome), with the answer's attempts
   * while `answering` and the reason when `failed` (`robot/robot-answer.ts`); null while pending.
   */
  readonly resultJson: string | null
}

/** The store's interface; `sqlite-store.ts` and `postgres-store.ts` implement it the same way. */
export interface ServiceStore {
  /** Inserts or replaces a portal (a reinstall brings a new application token). */
  savePortal: (portal: PortalRecord) => Promise<void>
  getPortal: (memberId: string) => Promise<PortalRecord | null>
  listPortals: () => Promise<PortalRecord[]>
  /** Forgets a portal and everything of it (ONAPPUNINSTALL). */
  deletePortal: (memberId: string) => Promise<void>
  setTimeZone: (memberId: string, timeZone: string) => Promise<void>
  setPollMode: (memberId: string, pollMode: boolean) => Promise<void>
  saveTokens: (memberId: string, tokens: PortalTokens) => Promise<void>
  getTokens: (memberId: string) => Promise<PortalTokens | null>
  /**
   * Claims the nightly run of `day` (YYYY-MM-DD, the portal's calendar) for this portal: true for
   * exactly one caller per portal and day, even across restarts and concurrent callers.
   */
  claimNightly: (memberId: string, day: string) => Promise<boolean>
  lastNightlyDay: (memberId: string) => Promise<string | null>
  /** The poll cursor: ms since the epoch up to which moved deals were handled, or null. */
  getPollCursor: (memberId: string) => Promise<number | null>
  setPollCursor: (memberId: string, cursorMs: number) => Promise<void>
  /** Records a robot call; 'duplicate' when this event token was accepted before (nothing changes). */
  acceptRobotCall: (call: Omit<RobotCallRecord, 'status' | 'resultJson'>) => Promise<'accepted' | 'duplicate'>
  getRobotCall: (eventToken: string) => Promise<RobotCallRecord | null>
  /** Marks a call answered, with its result. */
  finishRobotCall: (eventToken: string, resultJson: string) => Promise<void>
  /** Keeps the chain's result and the answer's attempts of a call being answered (status `answering`). */
  saveRobotAnswer: (eventToken: string, resultJson: string) => Promise<void>
  /** Marks a call given up (status `failed`), with its result and the reason. */
  failRobotCall: (eventToken: string, resultJson: string) => Promise<void>
  /** Every accepted call not yet answered or given up (`pending` and `answering`), oldest first (resumed at start). */
  pendingRobotCalls: () => Promise<RobotCallRecord[]>
  close: () => Promise<void>
}
