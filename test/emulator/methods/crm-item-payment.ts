/**
 * crm.item.payment.add/get/list/update/pay/unpay/delete and crm.item.payment.product.add/list
 * (R: api-reference/crm/universal/payment/*.md, products-in-payment/*.md). Deals (2) and invoices (31) only.
 * - Failures HTTP 400 with code `0` (business errors) or `100` (missing parameters). The pages' examples show
 *   `"error": 0` as a number; the emulator answers the string "0" like every other code.
 * - add creates an unpaid, EMPTY payment: `sum` 0 (the pages' examples show sum 0; a payment's sum is the sum of
 *   its product items, added with crm.item.payment.product.add), currency of the item, pay system 6 "Cash".
 * - update changes only the documented fields `paid` and `paySystemId`; anything else (e.g. `sum`) is ignored.
 * - pay/unpay set paid Y/N, datePaid and empPaidId (null when unpaid). Nothing else happens automatically:
 *   the docs do not say a payment moves the invoice's stage, so the emulator does not.
 * - Rights: add/get/update/pay/unpay/delete and product.add need modify rights on the item ("access permission to
 *   modify the payment order"); list and product.list need read rights.
 * - product.add compares quantities as the doubles they are: a row's quantities across payments may not exceed the
 *   row's quantity by even a unit in the last place (the app gives the last payment exactly the rest).
 * - In a batch, `$result[payment]` carries the new payment's id to product.add and pay (settings/how-to-call-rest-api/batch.md).
 */
import { formatPortalDateTime } from '../core/portal-time.ts'
import { DEFAULT_PAY_SYSTEM_ID, invoiceFlow, PAY_SYSTEMS, type Payment } from '../data/invoice-flow-state.ts'
import type { BuiltInEntityTypeId, CrmEntityTypeId } from '../data/portal-state.ts'
import { runListQuery, type Row } from '../rest/list-query.ts'
import type { CallContext, MethodDefinition, Params } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'
import { canRead, canWrite } from './crm-permissions.ts'
import { findOwner, isBlank, isObject, positiveInt, ROW_OWNER_TYPE } from './crm-owner.ts'

const fail = (description: string): RestError => new RestError(400, '0', description)
const required = (names: string[]): RestError => new RestError(400, '100', `Required fields: ${names.join(', ')}`)
const PAYABLE = new Set([2, 31])

function view(payment: Payment): Row {
  return {
    id: payment.id, accountNumber: payment.accountNumber, paid: payment.paid, datePaid: payment.datePaid, empPaidId: payment.empPaidId,
    paySystemId: payment.paySystemId, sum: payment.sum, currency: payment.currency, paySystemName: PAY_SYSTEMS.get(payment.paySystemId) ?? '',
  }
}

function requireParams(params: Params, names: string[]): void {
  const missing = names.filter(name => isBlank(params[name]))
  if (missing.length > 0) throw required(missing)
}

function requirePayment(params: Params, ctx: CallContext, idKey = 'id'): Payment {
  requireParams(params, [idKey])
  const payment = invoiceFlow(ctx.state).payments.find(entry => entry.id === Number(params[idKey]))
  if (!payment) throw fail('Payment not found')
  const item = findOwner(ctx.state, payment.entityTypeId as CrmEntityTypeId, payment.entityId)
  if (item && !canWrite(ctx, payment.entityTypeId as CrmEntityTypeId, item)) throw fail('Insufficient permissions')
  return payment
}

function setPaid(payment: Payment, paid: boolean, ctx: CallContext): void {
  if (paid && payment.paid === 'Y') return
  payment.paid = paid ? 'Y' : 'N'
  payment.datePaid = paid ? formatPortalDateTime(ctx.now) : null
  payment.empPaidId = paid ? ctx.userId : null
}

const add: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    requireParams(params, ['entityTypeId', 'entityId'])
    const entityTypeId = Number(params.entityTypeId)
    if (!PAYABLE.has(entityTypeId)) throw fail('Invalid CRM object type')
    const item = findOwner(ctx.state, entityTypeId as CrmEntityTypeId, params.entityId)
    if (!item) throw fail(`Entity with identifier №${String(params.entityId)} does not exist`)
    if (!canWrite(ctx, entityTypeId as CrmEntityTypeId, item)) throw fail('Access denied')
    const flow = invoiceFlow(ctx.state)
    const index = flow.payments.filter(payment => payment.entityTypeId === entityTypeId && payment.entityId === item.id).length + 1
    const payment: Payment = {
      id: flow.nextPaymentId++, entityTypeId, entityId: item.id, accountNumber: `${item.id}/${index}`, paid: 'N', datePaid: null,
      empPaidId: null, paySystemId: DEFAULT_PAY_SYSTEM_ID, sum: 0, currency: String(item.currencyId ?? 'RUB'),
    }
    flow.payments.push(payment)
    return { result: payment.id, rowsTouched: 1 }
  },
}

const get: MethodDefinition = {
  scope: 'crm',
  handler: (params, ctx) => ({ result: view(requirePayment(params, ctx)) }),
}

const list: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    requireParams(params, ['entityTypeId', 'entityId'])
    const entityTypeId = Number(params.entityTypeId)
    if (!PAYABLE.has(entityTypeId)) return { result: [] }
    const item = findOwner(ctx.state, entityTypeId as CrmEntityTypeId, params.entityId)
    if (!item) return { result: [] }
    if (!canRead(ctx, entityTypeId as CrmEntityTypeId, item)) throw fail('Access denied')
    const rows = invoiceFlow(ctx.state).payments.filter(payment => payment.entityTypeId === entityTypeId && payment.entityId === item.id).map(view)
    const order = isObject(params.order) && Object.keys(params.order).length > 0 ? params.order : { id: 'ASC' }
    const page = runListQuery(rows, { filter: params.filter, order }, { pageSize: Number.MAX_SAFE_INTEGER })
    return { result: page.rows, rowsTouched: rows.length }
  },
}

const update: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const payment = requirePayment(params, ctx)
    if (!isObject(params.fields)) throw required(['fields'])
    const fields = params.fields
    if (!isBlank(fields.paySystemId)) {
      const paySystemId = Number(fields.paySystemId)
      if (!PAY_SYSTEMS.has(paySystemId)) throw fail('Payment system not found')
      payment.paySystemId = paySystemId
    }
    if (fields.paid === 'Y' || fields.paid === 'N') setPaid(payment, fields.paid === 'Y', ctx)
    return { result: true, rowsTouched: 1 }
  },
}

const pay: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    setPaid(requirePayment(params, ctx), true, ctx)
    return { result: true, rowsTouched: 1 }
  },
}

const unpay: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    setPaid(requirePayment(params, ctx), false, ctx)
    return { result: true, rowsTouched: 1 }
  },
}

const remove: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const payment = requirePayment(params, ctx)
    const flow = invoiceFlow(ctx.state)
    flow.payments.splice(flow.payments.indexOf(payment), 1)
    flow.paymentProducts = flow.paymentProducts.filter(product => product.paymentId !== payment.id)
    return { result: true, rowsTouched: 1 }
  },
}

/** Recomputes a payment's sum from its product items (row price × quantity). */
function recomputeSum(payment: Payment, ctx: CallContext): void {
  const flow = invoiceFlow(ctx.state)
  const total = flow.paymentProducts.filter(product => product.paymentId === payment.id).reduce((sum, product) => {
    const row = ctx.state.productRows.find(entry => entry.id === product.rowId)
    return sum + (row ? row.price * product.quantity : 0)
  }, 0)
  payment.sum = Math.round(total * 100) / 100
}

const productAdd: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    requireParams(params, ['paymentId', 'rowId', 'quantity'])
    const flow = invoiceFlow(ctx.state)
    const payment = flow.payments.find(entry => entry.id === Number(params.paymentId))
    if (!payment) throw fail('Payment has not been found')
    const item = findOwner(ctx.state, payment.entityTypeId as CrmEntityTypeId, payment.entityId)
    if (item && !canWrite(ctx, payment.entityTypeId as CrmEntityTypeId, item)) throw fail('Access denied')
    const ownerType = ROW_OWNER_TYPE[payment.entityTypeId as BuiltInEntityTypeId]
    const rowId = positiveInt(params.rowId)
    const row = ctx.state.productRows.find(entry => entry.id === rowId && entry.ownerType === ownerType && entry.ownerId === payment.entityId)
    if (!row) throw fail('Product item not found')
    const quantity = Number(params.quantity)
    if (!(quantity > 0)) throw fail('Product quantity cannot be less than or equal to 0')
    const used = flow.paymentProducts.filter(product => product.rowId === row.id).reduce((sum, product) => sum + product.quantity, 0)
    if (used + quantity > row.quantity) throw fail('Insufficient product quantity to add to payment')
    const id = flow.nextPaymentProductId++
    flow.paymentProducts.push({ id, paymentId: payment.id, rowId: row.id, quantity })
    recomputeSum(payment, ctx)
    return { result: id, rowsTouched: 1 }
  },
}

const productList: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    // Read rights on the payment's item are enough here (products-in-payment/crm-item-payment-product-list.md).
    requireParams(params, ['paymentId'])
    const payment = invoiceFlow(ctx.state).payments.find(entry => entry.id === Number(params.paymentId))
    if (!payment) throw fail('Payment has not been found')
    const item = findOwner(ctx.state, payment.entityTypeId as CrmEntityTypeId, payment.entityId)
    if (item && !canRead(ctx, payment.entityTypeId as CrmEntityTypeId, item)) throw fail('Access denied')
    const products = invoiceFlow(ctx.state).paymentProducts.filter(product => product.paymentId === payment.id)
    return { result: products.map(product => ({ id: product.id, paymentId: product.paymentId, quantity: product.quantity, rowId: product.rowId })) }
  },
}

export const crmItemPaymentMethods: Record<string, MethodDefinition> = {
  'crm.item.payment.add': add,
  'crm.item.payment.get': get,
  'crm.item.payment.list': list,
  'crm.item.payment.update': update,
  'crm.item.payment.pay': pay,
  'crm.item.payment.unpay': unpay,
  'crm.item.payment.delete': remove,
  'crm.item.payment.product.add': productAdd,
  'crm.item.payment.product.list': productList,
}
