/**
 * user.current, user.get, profile (R: api-reference/user/user-current.md, user-get.md, common/users/profile.md)
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
    ACTIVE: true,
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
    const rows = ctx.state.users.map(userResource)
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

export const userMethods: Record<string, MethodDefinition> = {
  'user.current': current,
  'user.get': get,
  'profile': profile,
  'im.department.managers.get': departmentManagers,
}
