import type { RestCall } from './portal-client.ts'

/** REST methods that only read although their name does not end in `get`, `list` or `fields`: the portal's clock, the current user, the app. */
const READ_METHODS: ReadonlySet<string> = new Set([
  'profile',
  'scope',
  'methods',
  'server.time',
  'user.current',
  'user.access',
  'access.name',
  'feature.get',
  'app.info',
  'bizproc.workflow.instances',
])

/** Last parts that name a read in Bitrix24's REST API (`crm.item.get`, `crm.item.list`, `crm.item.fields`). */
const READ_ENDINGS: ReadonlySet<string> = new Set(['get', 'list', 'fields'])

/**
 * Whether a REST method only reads, so that repeating it cannot do anything twice. Decided from its
 * name (REST method names are case-insensitive): anything not known to read counts as a write.
 */
export function isReadOnlyMethod(method: string): boolean {
  const name = method.trim().toLowerCase()
  if (READ_METHODS.has(name))
    return true
  const last = name.slice(name.lastIndexOf('.') + 1)
  return name.includes('.') && READ_ENDINGS.has(last)
}

/** Whether every command of a batch only reads: only then may a batch whose answer was lost be sent again. */
export function isReadOnlyBatch(calls: Readonly<Record<string, RestCall>>): boolean {
  const commands = Object.values(calls)
  return commands.length > 0 && commands.every(call => isReadOnlyMethod(call.method))
}
