import type { BatchOutcome, PortalClient, RestCall } from './portal-client.ts'
import { ENTITY } from './batch-outcome.ts'
import { PortalError } from './portal-error.ts'

/**
 * Never twice, even when the browser replays a request (README "Never twice"). Chromium re-sends a
 * POST by itself when a reused keep-alive connection closes before any answer: the portal then runs
 * the same batch twice, and looking before writing cannot see it (both copies come from one look).
 * So every write batch is halted and starts by consuming a one-time token made for this attempt: a
 * timeline comment on the CRM item the flow writes to. The first run deletes it and goes on; a replay
 * finds it gone (`NOT_FOUND`, api-reference/crm/timeline/comments/crm-timeline-comment-delete.md) and
 * the portal stops the batch before anything else. The batch's last command mints the token for the
 * flow's next write batch, and a flow's read batch mints the one for its first, so no round trip is added.
 * Any user who may modify the item may add and delete its comments (…/crm-timeline-comment-add.md,
 * …-delete.md: "any user"); the runner's webhook needs only `crm`.
 */

/** The item a flow's tokens live on: the deal (issue chain) or the invoice (row actions, reminders, bank). */
export interface GuardOwner {
  readonly entityTypeId: typeof ENTITY.deal | typeof ENTITY.invoice
  readonly id: number
}

/** One flow's tokens: the owner and the token minted for its next write batch (null: none yet). */
export interface ReplayGuard {
  readonly owner: GuardOwner
  token: number | null
  /** Tokens on the owner that abandoned attempts left (a preview closed, an answer lost): the next guarded batch deletes them. */
  stale?: number[]
}

/** The error a guarded batch throws when its token was gone: this request, or its copy, already ran once. */
export const REPLAYED = 'REPLAYED'

/** Text of a token comment; people may see it for the seconds between two batches. */
export const TOKEN_COMMENT = 'Invoice Desk: служебная отметка, удаляется сама · service mark, removes itself'

/** `ENTITY_TYPE` of comments: the type's name in lower case (api-reference/crm/data-types.md#object_type: DEAL, SMART_INVOICE). */
const COMMENT_ENTITY_TYPE: Readonly<Record<GuardOwner['entityTypeId'], string>> = { [ENTITY.deal]: 'deal', [ENTITY.invoice]: 'smart_invoice' }

/** A token older than this was left by an attempt that will not come back for it. */
export const STALE_TOKEN_MS = 30 * 60_000

// Every command of the guard has a key starting with `guard`: the outcomes handed back leave them out.
/** Commands one batch may hold. */
const BATCH_COMMANDS = 50
const MINT_KEY = 'guardMint'
const CONSUME_KEY = 'guardConsume'
const LIST_KEY = 'guardList'
const CLOCK_KEY = 'guardClock'

/** The command minting a token on `owner` (`crm.timeline.comment.add`, result: the comment's id). */
export function mintCall(owner: GuardOwner): RestCall {
  return { method: 'crm.timeline.comment.add', params: { fields: { ENTITY_TYPE: COMMENT_ENTITY_TYPE[owner.entityTypeId], ENTITY_ID: owner.id, COMMENT: TOKEN_COMMENT } } }
}

function consumeCall(owner: GuardOwner, token: number): RestCall {
  return { method: 'crm.timeline.comment.delete', params: { id: token, ownerTypeId: owner.entityTypeId, ownerId: owner.id } }
}

/** A guard with no token yet: its first guarded batch mints one first (one more round trip). */
export function newGuard(owner: GuardOwner): ReplayGuard {
  return { owner, token: null }
}

/**
 * `calls` of a READ batch plus the command minting the token for the flow's first write batch, and
 * the owner's comments with the portal's clock (`server.time`), to find tokens abandoned attempts left.
 */
export function withMint(calls: Readonly<Record<string, RestCall>>, owner: GuardOwner): Record<string, RestCall> {
  return {
    ...calls,
    [LIST_KEY]: { method: 'crm.timeline.comment.list', params: { filter: { ENTITY_TYPE: COMMENT_ENTITY_TYPE[owner.entityTypeId], ENTITY_ID: owner.id }, select: ['ID', 'CREATED', 'COMMENT'], order: { ID: 'ASC' } } },
    [CLOCK_KEY]: { method: 'server.time' },
    [MINT_KEY]: mintCall(owner),
  }
}

interface CommentRow { readonly ID?: unknown, readonly CREATED?: unknown, readonly COMMENT?: unknown }

/** Token comments older than `STALE_TOKEN_MS` by the portal's clock; none when either read failed. */
function staleTokens(outcomes: Readonly<Record<string, BatchOutcome>>): number[] {
  const list = outcomes[LIST_KEY]
  const clock = outcomes[CLOCK_KEY]
  const now = clock?.ok ? Date.parse(String(clock.result)) : Number.NaN
  if (!list?.ok || !Array.isArray(list.result) || !Number.isFinite(now))
    return []
  return (list.result as CommentRow[])
    .filter(row => row.COMMENT === TOKEN_COMMENT && now - Date.parse(String(row.CREATED)) > STALE_TOKEN_MS)
    .map(row => Number(row.ID))
    .filter(id => Number.isInteger(id) && id > 0)
}

/** The guard a read batch built with `withMint` handed over (no token when its mint failed). */
export function guardOf(outcomes: Readonly<Record<string, BatchOutcome>>, owner: GuardOwner): ReplayGuard {
  const minted = outcomes[MINT_KEY]
  const id = minted?.ok ? Number(minted.result) : Number.NaN
  return { owner, token: Number.isInteger(id) && id > 0 ? id : null, stale: staleTokens(outcomes) }
}

/** True for the error of a batch whose token was gone: it ran once already and its answer was lost. */
export function isReplayed(error: unknown): error is PortalError {
  return error instanceof PortalError && error.code === REPLAYED
}

export interface GuardedOptions {
  /** Mint, as the batch's last command, the token for the flow's next write batch. Default false. */
  readonly mintNext?: boolean
}

/**
 * ONE halted round trip (two when the guard has no token yet): consume the token, then `calls` in
 * order, then (with `mintNext`) the next token. Returns the outcomes of `calls`. Throws a
 * `PortalError` with code `REPLAYED` when the token was gone — the portal had run this batch before
 * and nothing of it ran now — and the consume's own error when the portal refused it otherwise.
 */
export async function guardedBatch(client: PortalClient, guard: ReplayGuard, calls: Readonly<Record<string, RestCall>>, options: GuardedOptions = {}): Promise<Record<string, BatchOutcome>> {
  if (guard.token === null) {
    const minted = mintCall(guard.owner)
    guard.token = Number(await client.call<number>(minted.method, minted.params))
  }
  const token = guard.token
  guard.token = null
  // Abandoned tokens go last: a failed delete (someone removed it meanwhile) only stops the ones after it.
  const cleanup = Object.fromEntries((guard.stale ?? []).map(id => [`guardStale${id}`, consumeCall(guard.owner, id)]))
  guard.stale = []
  const outcomes = await client.batch({
    [CONSUME_KEY]: consumeCall(guard.owner, token),
    ...calls,
    ...(options.mintNext ? { [MINT_KEY]: mintCall(guard.owner) } : {}),
    ...cleanup,
  }, { haltOnError: true })
  const consumed = outcomes[CONSUME_KEY]
  if (consumed && !consumed.ok) {
    if (consumed.error.code === 'NOT_FOUND')
      throw new PortalError(consumed.error.method, REPLAYED, 'The portal had already run this request: its answer was lost on the way', 200, false)
    throw consumed.error
  }
  if (options.mintNext)
    guard.token = guardOf(outcomes, guard.owner).token
  return Object.fromEntries(Object.entries(outcomes).filter(([key]) => !key.startsWith('guard')))
}

/**
 * Every command of `calls` runs once, as in a batch without `halt`, but guarded: a guarded batch
 * stops at a failing command, so the commands after it go in another guarded batch (one more round
 * trip per failure, two when a token has to be minted first). A batch holds at most 50 commands
 * (R: settings/how-to-call-rest-api/batch.md) with the token's consume, the next one's mint
 * and the abandoned tokens' cleanup among them: more calls go in further guarded batches, each
 * minting the token for the next. Returns every command's outcome.
 */
export async function guardedEach(client: PortalClient, guard: ReplayGuard, calls: Readonly<Record<string, RestCall>>, options: GuardedOptions = {}): Promise<Record<string, BatchOutcome>> {
  const all: Record<string, BatchOutcome> = {}
  let pending = Object.keys(calls)
  while (pending.length > 0) {
    const room = Math.max(1, BATCH_COMMANDS - 2 - (guard.stale?.length ?? 0))
    const part = pending.slice(0, room)
    const last = part.length === pending.length
    const outcomes = await guardedBatch(client, guard, Object.fromEntries(part.map(key => [key, calls[key]!])), { ...options, mintNext: options.mintNext === true || !last })
    const failedAt = part.findIndex(key => !outcomes[key]?.ok)
    const ran = failedAt < 0 ? part : part.slice(0, failedAt + 1)
    for (const key of ran)
      all[key] = outcomes[key]!
    pending = pending.slice(ran.length)
  }
  return all
}

/**
 * Gives back the token a read minted when no write follows (the action was refused or not needed):
 * one round trip, only then; a failure is ignored (a leftover comment harms nothing).
 */
export async function releaseGuard(client: PortalClient, guard: ReplayGuard | undefined): Promise<void> {
  if (!guard || guard.token === null)
    return
  const token = guard.token
  guard.token = null
  const call = consumeCall(guard.owner, token)
  await client.call(call.method, call.params).catch(() => undefined)
}

/**
 * ONE round trip: a read `call` (its result, thrown as `PortalError` when it failed) with the token for
 * the writes that follow minted on `owner` alongside; with no owner, the call alone and a guard whose
 * first batch mints one.
 */
export async function callWithMint<T>(client: PortalClient, call: RestCall, owner: GuardOwner): Promise<{ result: T, guard: ReplayGuard }> {
  const outcomes = await client.batch(withMint({ read: call }, owner))
  const read = outcomes.read
  if (!read?.ok)
    throw read?.error ?? new PortalError(call.method, 'NOT_RUN', 'The batch stopped before this command', 200, true)
  return { result: read.result as T, guard: guardOf(outcomes, owner) }
}
