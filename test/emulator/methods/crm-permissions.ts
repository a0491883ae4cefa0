/**
 * Who sees and changes what (the emulator's CRM role model):
 * - admin (user 1, also the webhook user): everything;
 * - accountant: reads everything, changes invoices only (marks them paid), never deals;
 * - managers: contacts and companies freely; deals and invoices only where they are responsible
 *   (`assignedById`), so lists are filtered and reading someone else's item is ACCESS_DENIED.
 * - smart processes (crm.type.add): `isSetOpenPermissions` is "Should new funnels be available to everyone",
 *   default Y (R: api-reference/crm/universal/user-defined-object-types/crm-type-add.md; crm/data-types.md).
 *   With Y every user reads, adds, changes and deletes every item of the type; with N no role gets rights
 *   on its funnel, so only CRM administrators (and the app acting with an admin's token, or an admin's
 *   webhook) do — lists, get, add, update and delete alike are ACCESS_DENIED to everyone else. The docs
 *   name no REST method that sets CRM role permissions, and crm.type.update's flag concerns only NEW
 *   funnels (crm-type-update.md), so an open type cannot be closed through REST (crm.type.update is not
 *   emulated);
 * CRM permission failures are HTTP 400 ACCESS_DENIED (R: api-reference/crm/universal/crm-item-get.md,
 * api-reference/crm/universal/crm-item-add.md error tables; "Who can execute": a user with the item's access permission).
 */
import { crmTypeByEntityTypeId } from '../data/crm-types.ts'
import { findUser, isBuiltInEntityTypeId } from '../data/portal-state.ts'
import type { CrmEntityTypeId, CrmItem } from '../data/portal-state.ts'
import type { CallContext } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'

const OWNED_TYPES: ReadonlySet<CrmEntityTypeId> = new Set([2, 31])

function roleOf(ctx: CallContext): 'admin' | 'manager' | 'accountant' {
  if (ctx.isAdmin) return 'admin'
  return findUser(ctx.state, ctx.userId)?.role ?? 'manager'
}

/** A smart process the caller may use at all (read and write alike). */
function dynamicTypeOpen(ctx: CallContext, entityTypeId: CrmEntityTypeId): boolean {
  return ctx.isAdmin || crmTypeByEntityTypeId(ctx.state, entityTypeId)?.flags.isSetOpenPermissions === 'Y'
}

/** When the caller sees only own items of this type: the user id to filter `assignedById` by. */
export function ownItemsOnly(ctx: CallContext, entityTypeId: CrmEntityTypeId): number | null {
  return roleOf(ctx) === 'manager' && OWNED_TYPES.has(entityTypeId) ? ctx.userId : null
}

/** Whether the caller may read items of the type at all (lists, fields). */
export function canReadType(ctx: CallContext, entityTypeId: CrmEntityTypeId): boolean {
  return isBuiltInEntityTypeId(entityTypeId) || dynamicTypeOpen(ctx, entityTypeId)
}

export function canRead(ctx: CallContext, entityTypeId: CrmEntityTypeId, item: CrmItem): boolean {
  if (!isBuiltInEntityTypeId(entityTypeId)) return dynamicTypeOpen(ctx, entityTypeId)
  const owner = ownItemsOnly(ctx, entityTypeId)
  return owner === null || Number(item.assignedById) === owner
}

export function canWrite(ctx: CallContext, entityTypeId: CrmEntityTypeId, item: CrmItem | null): boolean {
  if (!isBuiltInEntityTypeId(entityTypeId)) return dynamicTypeOpen(ctx, entityTypeId)
  const role = roleOf(ctx)
  if (role === 'admin') return true
  if (role === 'accountant') return entityTypeId === 31
  if (!OWNED_TYPES.has(entityTypeId) || item === null) return true
  return Number(item.assignedById) === ctx.userId
}

export const crmAccessDenied = {
  read: () => new RestError(400, 'ACCESS_DENIED', 'You do not have permission to view this item'),
  write: () => new RestError(400, 'ACCESS_DENIED', 'Access denied'),
}
