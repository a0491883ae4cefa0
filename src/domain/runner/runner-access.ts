import type { BlockedStart } from '../bizproc/process-access.ts'
import type { InvoiceDeskSettings } from '../settings/settings.ts'
import { blockedStarts } from '../bizproc/process-access.ts'

/**
 * A webhook scope the runner uses (README, «Scheduled reminders»); what it is for is told in the
 * runner's language by the catalogs' `runner.scope.<scope>`.
 */
export interface RunnerScope {
  readonly scope: 'crm' | 'user_basic' | 'im' | 'task' | 'bizproc'
  /** Without it the runner cannot work at all (it stops with exit code 1), else only some actions fail. */
  readonly required: boolean
}

/** Every scope the runner calls methods of; `basic` (profile, scope) needs no ticking. */
export const RUNNER_SCOPES: readonly RunnerScope[] = [
  { scope: 'crm', required: true },
  { scope: 'user_basic', required: true },
  { scope: 'im', required: false },
  { scope: 'task', required: false },
  { scope: 'bizproc', required: false },
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
