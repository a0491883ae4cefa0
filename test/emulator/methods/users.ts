/** user.current, user.get, profile (R: api-reference/user/user-current.md, user-get.md, common/users/profile.md). */
import type { PortalUser } from '../data/portal-state.ts'
import { findUser } from '../data/portal-state.ts'
import { runListQuery, type ListOptions } from '../rest/list-query.ts'
import type { MethodDefinition } from '../rest/method-types.ts'

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
    UF_DEPARTMENT: [1],
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

export const userMethods: Record<string, MethodDefinition> = {
  'user.current': current,
  'user.get': get,
  'profile': profile,
}
