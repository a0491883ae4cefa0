import type { AppServer, DealEffect } from '../app-server/app-server.ts'
import type { PortalState } from '../data/portal-state.ts'

export type Params = Record<string, unknown>
export type Scope = 'crm' | 'placement' | 'user_basic' | 'user' | 'user_brief' | 'basic' | 'bizproc' | 'im' | 'task'
  | 'entity' | 'userfieldconfig' | 'documentgenerator'

/** Who is calling and how. */
export interface CallContext {
  state: PortalState
  /** Emulator clock, ms. */
  now: number
  userId: number
  isAdmin: boolean
  authType: 'app' | 'webhook'
  scopes: ReadonlySet<string>
  /** The portal's plan as the limits option says (app.info reports it). */
  limitsMode: 'cloud' | 'enterprise' | 'off'
  /** The emulator's origin (for absolute links such as document download URLs), e.g. https://127.0.0.1:8080. */
  origin: string
  /** Document-generator knobs (POST /emulator/docgen). */
  docgen: DocgenSettings
  /** The portal's plan (start option `plan`, POST /emulator/plan): `basic` has no smart processes and no business processes. */
  plan: 'basic' | 'professional'
  /** The installed application's server side: event handlers, robots, robot calls (app-server/app-server.ts). */
  appServer?: AppServer
  /** Reports a deal change; the engine turns it into events and robot runs once the method succeeded. */
  emit?: (effect: DealEffect) => void
}

/** How the emulated PDF conversion behaves. */
export interface DocgenSettings {
  /** Real-time delay before pdfUrl/imageUrl appear on a new document (default 3000 ms). */
  pdfDelayMs: number
  /** The next created document's conversion fails (isTransformationError: true); used up by that document. */
  failNext: boolean
}

/** What a handler returns: the `result` plus the list extras. */
export interface MethodOutcome {
  result: unknown
  total?: number
  next?: number
  /** Rows read or written: feeds the simulated processing time (see limits/operating-cost.ts). */
  rowsTouched?: number
}

export interface MethodDefinition {
  scope: Scope
  /** Refused for non-admins with ACCESS_DENIED (or the method's own code, raised by the handler). */
  adminOnly?: boolean
  /** Refused for webhooks with WRONG_AUTH_TYPE. */
  appContextOnly?: boolean
  handler(params: Params, ctx: CallContext): MethodOutcome
}

export type MethodRegistry = Readonly<Record<string, MethodDefinition>>
