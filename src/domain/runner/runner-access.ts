import type { BlockedStart } from '../bizproc/process-access.ts'
import type { InvoiceDeskSettings } from '../settings/settings.ts'
import { blockedStarts } from '../bizproc/process-access.ts'

/** A webhook scope the runner uses, and what it is for (README, «Scheduled reminders»). */
export interface RunnerScope {
  readonly scope: 'crm' | 'user_basic' | 'im' | 'task' | 'bizproc'
  /** Without it the runner cannot work at all (it stops with exit code 1), else only some actions fail. */
  readonly required: boolean
  readonly use: string
}

/** Every scope the runner calls methods of; `basic` (profile, scope) needs no ticking. */
export const RUNNER_SCOPES: readonly RunnerScope[] = [
  { scope: 'crm', required: true, use: 'invoices, deals, clients, e-mails, timeline, payments, the journal' },
  { scope: 'user_basic', required: true, use: 'the responsible managers\' names and addresses (user.get)' },
  { scope: 'im', required: false, use: 'notifications to managers and escalations (im.notify.*, im.department.managers.get)' },
  { scope: 'task', required: false, use: 'reminder steps that create tasks (tasks.task.add)' },
  { scope: 'bizproc', required: false, use: 'business processes at runner events (bizproc.workflow.start)' },
]

/** What the runner's webhook lacks for the settings it runs with. */
export interface RunnerAccess {
  /** Scopes without which nothing can be done: the runner stops. */
  readonly missingRequired: readonly RunnerScope[]
  /** Scopes whose actions will fail or be skipped; the rest runs. */
  readonly missingOptional: readonly RunnerScope[]
  /** Configured processes and app triggers that will not start from this webhook, with why. */
  readonly blocked: readonly BlockedStart[]
}

/** `user` and `user_brief` include what `user_basic` gives (R: api-reference/scopes/permissions.md lists the three). */
function grants(granted: ReadonlySet<string>, scope: RunnerScope['scope']): boolean {
  return scope === 'user_basic' ? ['user', 'user_basic', 'user_brief'].some(name => granted.has(name)) : granted.has(scope)
}

/**
 * Checks the webhook's scopes (the `scope` method's answer) and its user's admin flag (`profile.ADMIN`)
 * against what the runner does with `settings`. Pure.
 */
export function checkRunnerAccess(scopes: readonly string[], isAdmin: boolean, settings: InvoiceDeskSettings): RunnerAccess {
  const granted = new Set(scopes.map(scope => scope.trim()))
  const missing = RUNNER_SCOPES.filter(entry => !grants(granted, entry.scope))
  return {
    missingRequired: missing.filter(entry => entry.required),
    missingOptional: missing.filter(entry => !entry.required),
    blocked: blockedStarts(settings.processes, { kind: 'runner', isAdmin, bizprocScope: granted.has('bizproc') }),
  }
}
