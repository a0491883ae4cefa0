/**
 * user.current, user.get, profile, scope (R: api-reference/user/user-current.md, api-reference/user/user-get.md
 * (FILTER with prefixes; `ACTIVE` true leaves dismissed employees out), api-reference/common/users/profile.md,
 * api-reference/common/system/scope.md (any user; the token's scopes as an array))
 * and im.department.managers.get (R: api-reference/chats/departments/im-department-managers-get.md: `ID`* an
 * array or a JSON string of department ids, `USER_DATA` Y/N; result keyed by department id: the heads' ids,
 * or user objects with USER_DATA=Y; scope im; ID_EMPTY (400) without ids; unknown departments answer an empty list).
 */
import type { PortalUser } from '../data/portal-state.ts'
import { findUser } from '../data/portal-state.ts'
import { runListQuery, type ListOptions } from '../rest/list-query.ts'
import { RestError } from '../rest/rest-error.ts'
import type { MethodDefinition } from '../rest/method-types.ts'

/** The demo company's structure: the head of sales (the admin) leads the two managers; the accountant runs accounting. */
export const DEPARTMENTS: ReadonlyArray<{ id: number, name: string, headId: number, members: readonly number[] }> = [
  { id: 1, name: 'Invoice Desk', headId: 1, members: [1] },
  { id: 2, name: 'Отдел продаж', headId: 1, members: [2, 3] },
  { id: 3, name: 'Бухгалтерия', headId: 4, members: [4] },
]

function departmentsOf(userId: number): number[] {
  const found = DEPARTMENTS.filter(department => department.members.includes(userId)).map(department => department.id)
  return found.length > 0 ? found : [1]
}

export function userResource(user: PortalUser): Record<string, unknown> {
  return {
    ID: String(user.id),
    XML_ID: `user-${user.id}`,
    ACTIVE: user.active,
    NAME: user.name,
    LAST_NAME: user.lastName,
    SECOND_NAME: user.secondName,
    EMAIL: user.email,
    LAST_LOGIN: '2026-01-10T09:00:00+03:00',
    DATE_REGISTER: user.dateRegister,
    TIME_ZONE: user.timeZone,
    IS_ONLINE: 'Y',
    TIME_ZONE_OFFSET: '10800',
    PERSONAL_GENDER: user.gender,
    PERSONAL_BIRTHDAY: '',
    WORK_POSITION: user.workPosition,
    UF_EMPLOYMENT_DATE: '',
    UF_DEPARTMENT: [...departmentsOf(user.id)],
    USER_TYPE: 'employee',
  }
}

const USER_FIELDS = new Set(['ID', 'ACTIVE', 'NAME', 'LAST_NAME', 'SECOND_NAME', 'EMAIL', 'WORK_POSITION', 'USER_TYPE', 'UF_DEPARTMENT', 'XML_ID', 'TIME_ZONE'])
const USER_LIST: ListOptions = { allowedFields: USER_FIELDS, caseInsensitiveFields: true, defaultOrder: { ID: 'ASC' } }

const current: MethodDefinition = {
  scope: 'user_basic',
  handler(_params, ctx) {
    const user = findUser(ctx.state, ctx.userId)
    return { result: user ? userResource(user) : [] }
  },
}

const TRUE_VALUES = new Set(['true', 'y', '1'])
const FALSE_VALUES = new Set(['false', 'n', '0'])

/**
 * `ACTIVE` as the docs describe it: "when set to true, excludes terminated users". A batch or a form
 * body carries it as the string "true" (or Y/1), JSON as a boolean; removed from the filter here.
 */
function takeActiveFilter(filter: Record<string, unknown>): boolean | null {
  const key = Object.keys(filter).find(name => name.toUpperCase() === 'ACTIVE')
  if (key === undefined) return null
  const value = String(filter[key]).toLowerCase()
  delete filter[key]
  if (TRUE_VALUES.has(value)) return true
  if (FALSE_VALUES.has(value)) return false
  return null
}

/** user.get takes FILTER (or filter) plus top-level field keys like ID (R: user-get.md). */
const get: MethodDefinition = {
  scope: 'user_basic',
  handler(params, ctx) {
    const filter: Record<string, unknown> = {}
    const given = (params.FILTER ?? params.filter) as Record<string, unknown> | undefined
    if (given && typeof given === 'object') Object.assign(filter, given)
    for (const [key, value] of Object.entries(params)) {
      if (USER_FIELDS.has(key.toUpperCase().replace(/^[!<>=@%]+/, ''))) filter[key] = value
    }
    const order = params.sort ? { [String(params.sort)]: String(params.order ?? 'ASC') } : undefined
    const active = takeActiveFilter(filter)
    const rows = ctx.state.users.filter(user => active === null || user.active === active).map(userResource)
    const page = runListQuery(rows, { filter, order, start: params.start }, USER_LIST)
    return { result: page.rows, total: page.total, ...(page.next === undefined ? {} : { next: page.next }), rowsTouched: page.scanned }
  },
}

const profile: MethodDefinition = {
  scope: 'basic',
  handler(_params, ctx) {
    const user = findUser(ctx.state, ctx.userId)
    if (!user) return { result: [] }
    return {
      result: { ID: String(user.id), ADMIN: user.isAdmin, NAME: user.name, LAST_NAME: user.lastName, PERSONAL_GENDER: user.gender, TIME_ZONE: user.timeZone },
    }
  },
}

function departmentIds(value: unknown): number[] {
  let list = value
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value)
    }
    catch {
      list = value.split(',')
    }
  }
  return (Array.isArray(list) ? list : [list]).map(Number).filter(id => Number.isInteger(id) && id > 0)
}

const departmentManagers: MethodDefinition = {
  scope: 'im',
  handler(params, ctx) {
    const ids = departmentIds(params.ID ?? params.id)
    if (ids.length === 0) throw new RestError(400, 'ID_EMPTY', 'Department ID can\'t be empty')
    const withData = String(params.USER_DATA ?? 'N').toUpperCase() === 'Y'
    const result: Record<string, unknown[]> = {}
    for (const id of ids) {
      const heads = DEPARTMENTS.filter(department => department.id === id).map(department => department.headId)
      result[String(id)] = withData
        ? heads.map(head => findUser(ctx.state, head)).filter((user): user is PortalUser => Boolean(user)).map(user => ({
            id: user.id, active: true, name: `${user.name} ${user.lastName}`, first_name: user.name, last_name: user.lastName, work_position: user.workPosition,
          }))
        : heads
    }
    return { result }
  },
}

/** `scope`: the calling token's scopes (the webhook's as configured, the app's as installed). */
const scope: MethodDefinition = {
  scope: 'basic',
  handler: (_params, ctx) => ({ result: [...ctx.scopes].sort() }),
}

export const userMethods: Record<string, MethodDefinition> = {
  'scope': scope,
  'user.current': current,
  'user.get': get,
  'profile': profile,
  'im.department.managers.get': departmentManagers,
}
