/**
 * tasks.task.add / get / list, minimal (R: api-reference/tasks/tasks-task-add.md, tasks-task-get.md, tasks-task-list.md).
 * - add → `{ task: {…} }` in the page's casing: camelCase keys, ids and flags as strings, dates with the portal offset.
 * - ERROR_CORE (HTTP 400) for a missing title, a missing or unknown responsible; several problems are joined,
 *   each ended by `<br>` as the page's example ("Task title is not specified<br>"). No `fields` → `100`.
 * - `UF_CRM_TASK` (e.g. ['D_10', 'SI_7']) is stored and returned as `ufCrmTask` only when selected (get/list), as
 *   the get page says system UF fields are not returned by default.
 * - Visibility: admins see every task, others the tasks they created or are responsible for.
 * Writes a `tasks` journal entry on add.
 */
import { formatPortalDateTime, parsePortalInstant } from '../core/portal-time.ts'
import { invoiceFlow, type Task } from '../data/invoice-flow-state.ts'
import { addJournalEntry, findUser, type PortalUser } from '../data/portal-state.ts'
import { asList } from '../rest/list-query.ts'
import type { CallContext, MethodDefinition } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'
import { BINDING_PREFIX, isBlank, isObject, positiveInt } from './crm-owner.ts'

const PAGE = 50

function member(user: PortalUser): Record<string, string> {
  return { id: String(user.id), name: `${user.name} ${user.lastName}`, link: `/company/personal/user/${user.id}/`, icon: '/bitrix/images/tasks/default_avatar.png', workPosition: user.workPosition }
}

function visible(ctx: CallContext, task: Task): boolean {
  return ctx.isAdmin || Number(task.createdBy) === ctx.userId || Number(task.responsibleId) === ctx.userId
}

/** The task without the select-only system fields (ufCrmTask). */
function view(task: Task, select: string[]): Record<string, unknown> {
  const { ufCrmTask, ...rest } = task
  const wantsCrm = select.some(field => field.toUpperCase() === 'UF_CRM_TASK')
  const explicit = select.filter(field => field !== '*' && field.toUpperCase() !== 'UF_CRM_TASK')
  let result: Record<string, unknown> = rest
  if (explicit.length > 0 && !select.includes('*')) {
    const wanted = new Set(explicit.map(field => field.toLowerCase().replace(/_([a-z])/g, (_m, char: string) => char.toUpperCase())))
    result = Object.fromEntries(Object.entries(rest).filter(([key]) => key === 'id' || wanted.has(key)))
  }
  return wantsCrm ? { ...result, ufCrmTask } : result
}

const add: MethodDefinition = {
  scope: 'task',
  handler(params, ctx) {
    if (!isObject(params.fields) || Object.keys(params.fields).length === 0) throw new RestError(400, '100', 'Could not find value for parameter {fields}')
    const fields = params.fields
    const problems: string[] = []
    if (isBlank(fields.TITLE)) problems.push('Task title is not specified')
    const responsibleId = positiveInt(fields.RESPONSIBLE_ID)
    const responsible = responsibleId === null ? undefined : findUser(ctx.state, responsibleId)
    if (isBlank(fields.RESPONSIBLE_ID)) problems.push('Responsible person not specified')
    else if (!responsible) problems.push('User specified in the "Responsible" field not found')
    const creator = findUser(ctx.state, positiveInt(fields.CREATED_BY) ?? ctx.userId)
    if (!creator) problems.push('User specified in the "Created by" field not found')
    if (problems.length > 0 || !responsible || !creator) throw new RestError(400, 'ERROR_CORE', problems.map(problem => `${problem}<br>`).join(''))

    const flow = invoiceFlow(ctx.state)
    const now = formatPortalDateTime(ctx.now)
    const deadlineMs = parsePortalInstant(fields.DEADLINE)
    const id = flow.nextTaskId++
    const crm = asList(fields.UF_CRM_TASK).map(String).filter(value => value !== '')
    const task: Task = {
      id: String(id), parentId: null, title: String(fields.TITLE), description: isBlank(fields.DESCRIPTION) ? '' : String(fields.DESCRIPTION),
      mark: null, priority: isBlank(fields.PRIORITY) ? '1' : String(fields.PRIORITY), multitask: 'N', notViewed: 'N', replicate: 'N', stageId: '0',
      createdBy: String(creator.id), createdDate: now, responsibleId: String(responsible.id), changedBy: String(ctx.userId), changedDate: now,
      statusChangedBy: null, closedBy: null, closedDate: null, activityDate: now, dateStart: null,
      deadline: deadlineMs === null ? null : formatPortalDateTime(deadlineMs), startDatePlan: null, endDatePlan: null,
      guid: `{${String(id).padStart(8, '0')}-0000-4000-8000-${String(ctx.now).slice(-12).padStart(12, '0')}}`, xmlId: null,
      commentsCount: null, serviceCommentsCount: null, allowChangeDeadline: 'N', allowTimeTracking: 'N', taskControl: 'N', addInReport: 'N',
      forkedByTemplateId: null, timeEstimate: '0', timeSpentInLogs: null, matchWorkTime: 'N', forumTopicId: null, forumId: null,
      siteId: 's1', subordinate: 'N', exchangeModified: null, exchangeId: null, outlookVersion: '1', viewedDate: null, sorting: null,
      durationFact: null, isMuted: 'N', isPinned: 'N', isPinnedInGroup: 'N', flowId: null, descriptionInBbcode: 'Y', status: '2',
      statusChangedDate: now, durationPlan: null, durationType: 'days', favorite: 'N', groupId: String(positiveInt(fields.GROUP_ID) ?? 0),
      auditors: [], accomplices: [], checklist: [], group: [], creator: member(creator), responsible: member(responsible),
      accomplicesData: [], auditorsData: [], newCommentsCount: 0,
      ufCrmTask: crm,
    }
    flow.tasks.push(task)
    addJournalEntry(ctx.state, new Date(ctx.now).toISOString(), 'tasks', task.title as string, {
      method: 'tasks.task.add', taskId: id, userId: ctx.userId, title: task.title, description: task.description,
      responsibleId: responsible.id, createdBy: creator.id, deadline: task.deadline, crm,
      crmBindings: crm.flatMap((binding) => {
        const match = /^([A-Z]+)_(\d+)$/.exec(binding)
        const typeId = match ? BINDING_PREFIX[match[1] ?? ''] : undefined
        return typeId === undefined || !match ? [] : [{ typeId, id: Number(match[2]) }]
      }),
    })
    return { result: { task: view(task, []) }, rowsTouched: 1 }
  },
}

const get: MethodDefinition = {
  scope: 'task',
  handler(params, ctx) {
    if (isBlank(params.taskId)) throw new RestError(400, '100', 'CTaskItem All parameters in the constructor must have real class type')
    const id = Number(params.taskId)
    if (!Number.isInteger(id) || id <= 0) throw new RestError(400, '0', 'wrong task id')
    const task = invoiceFlow(ctx.state).tasks.find(entry => Number(entry.id) === id)
    if (!task || !visible(ctx, task)) throw new RestError(400, 'ERROR_CORE', 'Task not found or not accessible')
    return { result: { task: view(task, asList(params.select).map(String)) } }
  },
}

const FILTER_FIELDS: Readonly<Record<string, string>> = { ID: 'id', RESPONSIBLE_ID: 'responsibleId', CREATED_BY: 'createdBy', REAL_STATUS: 'status', GROUP_ID: 'groupId', TITLE: 'title' }

function matches(task: Task, filter: Record<string, unknown>): boolean {
  return Object.entries(filter).every(([rawKey, value]) => {
    const negate = rawKey.startsWith('!')
    const key = rawKey.replace(/^[!=@]+/, '').toUpperCase()
    const wanted = asList(value).map(String)
    let hit: boolean
    if (key === 'UF_CRM_TASK') hit = (task.ufCrmTask as string[]).some(binding => wanted.includes(binding))
    else if (FILTER_FIELDS[key]) hit = wanted.includes(String(task[FILTER_FIELDS[key]]))
    else return true
    return negate ? !hit : hit
  })
}

const list: MethodDefinition = {
  scope: 'task',
  handler(params, ctx) {
    const filter = isObject(params.filter) ? params.filter : {}
    const order = isObject(params.order) ? params.order : {}
    const ascending = String(order.ID ?? order.id ?? 'desc').toLowerCase() === 'asc'
    const found = invoiceFlow(ctx.state).tasks.filter(task => visible(ctx, task) && matches(task, filter))
      .sort((a, b) => (ascending ? 1 : -1) * (Number(a.id) - Number(b.id)))
    const start = Math.max(0, Math.floor(Number(params.start) || 0))
    const select = asList(params.select).map(String)
    const tasks = found.slice(start, start + PAGE).map(task => view(task, select))
    const next = start + PAGE < found.length ? start + PAGE : undefined
    return { result: { tasks }, total: found.length, ...(next === undefined ? {} : { next }), rowsTouched: found.length }
  },
}

export const taskMethods: Record<string, MethodDefinition> = {
  'tasks.task.add': add,
  'tasks.task.get': get,
  'tasks.task.list': list,
}
