import type { ProcessEvent, ProcessSettings } from '../settings/settings.ts'
import { PROCESS_EVENTS } from '../settings/settings.ts'

/**
 * Who would start the configured processes: a portal user acting in the app (application context),
 * or the scheduled runner (an incoming webhook: no application context). For the runner, `isAdmin`
 * is the webhook user's `profile.ADMIN` and `bizprocScope` whether the webhook has `bizproc` (null = unknown,
 * as on the settings page: the runner checks them when it starts).
 */
export type ProcessActor
  = | { readonly kind: 'user', readonly isAdmin: boolean }
    | { readonly kind: 'runner', readonly isAdmin: boolean | null, readonly bizprocScope: boolean | null }

/**
 * Why a configured start will not happen for that actor, as the docs say:
 * - `adminOnly`: `bizproc.workflow.start` (and the approval's `instances`) — "Who can execute the method:
 *   administrator" (R: api-reference/bizproc/bizproc-workflow-start.md); app triggers — "administrator
 *   with access to CRM in the application context" (R: api-reference/crm/automation/triggers/crm-automation-trigger-execute.md);
 * - `appContextOnly`: app triggers from a webhook (same page: "Application context required");
 * - `noBizprocScope`: the runner's webhook lacks `bizproc` (`insufficient_scope`, R: _includes/system-errors.md);
 * - `needsAdminWebhook`: the runner's webhook is not known here: processes start only if it is an
 *   administrator's with `bizproc`.
 */
export type BlockedReason = 'adminOnly' | 'appContextOnly' | 'noBizprocScope' | 'needsAdminWebhook'

/** One configured process, approval or app trigger that will not start, and why. */
export interface BlockedStart {
  readonly event: ProcessEvent | 'approval'
  readonly kind: 'process' | 'trigger'
  /** The process's name (or `#templateId`), or the trigger's code. */
  readonly name: string
  readonly reason: BlockedReason
}

/** What the actor does: the events it causes, and whether an invoice's approval would be started. */
export interface ActorScope {
  /** Default every event. */
  readonly events?: readonly ProcessEvent[]
  /** Include the B2B approval process (when it is on and a template is chosen). Default true. */
  readonly approval?: boolean
}

function processReason(actor: ProcessActor): BlockedReason | null {
  if (actor.kind === 'runner' && actor.bizprocScope === false)
    return 'noBizprocScope'
  if (actor.isAdmin === false)
    return 'adminOnly'
  return actor.kind === 'runner' && (actor.isAdmin === null || actor.bizprocScope === null) ? 'needsAdminWebhook' : null
}

function triggerReason(actor: ProcessActor): BlockedReason | null {
  if (actor.kind === 'runner')
    return 'appContextOnly'
  return actor.isAdmin ? null : 'adminOnly'
}

/**
 * The configured processes and app triggers that will not start for `actor`, in event order, the
 * approval last. Pure: it reads the settings only; the portal may refuse more (the plan, a deleted template).
 */
export function blockedStarts(settings: ProcessSettings, actor: ProcessActor, scope: ActorScope = {}): BlockedStart[] {
  const blocked: BlockedStart[] = []
  const process = processReason(actor)
  const trigger = triggerReason(actor)
  for (const event of scope.events ?? PROCESS_EVENTS) {
    const configured = settings.events[event]
    if (process)
      configured.processes.forEach(start => blocked.push({ event, kind: 'process', name: start.name || `#${start.templateId}`, reason: process }))
    if (trigger && configured.triggerCode)
      blocked.push({ event, kind: 'trigger', name: configured.triggerCode, reason: trigger })
  }
  const approval = settings.approval
  if (process && (scope.approval ?? true) && approval.enabled && approval.templateId !== null)
    blocked.push({ event: 'approval', kind: 'process', name: approval.name || `#${approval.templateId}`, reason: process })
  return blocked
}
