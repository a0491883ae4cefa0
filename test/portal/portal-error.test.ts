import { describe, expect, it } from 'vitest'
import { PortalError, toPortalError } from '../../src/portal/portal-error.ts'

describe('portal/portal-error', () => {
  it('keeps the Bitrix24 code, status and message of an SDK error', () => {
    const error = toPortalError('crm.item.get', { code: 'ACCESS_DENIED', status: 400, message: 'Access denied' }, true)
    expect(error).toBeInstanceOf(PortalError)
    expect(error).toMatchObject({ method: 'crm.item.get', code: 'ACCESS_DENIED', status: 400, message: 'Access denied', retrySafe: true })
  })

  it('recovers the portal\'s words when the SDK only says ERR_BAD_REQUEST (empty or "0" error codes)', () => {
    const sdkError = { code: 'ERR_BAD_REQUEST', status: 400, message: 'Request failed with status code 400', originalError: { response: { data: { error: '', error_description: 'Email send error. Invalid email is specified' } } } }
    expect(toPortalError('crm.activity.add', sdkError, false)).toMatchObject({ code: 'PORTAL_ERROR', message: 'Email send error. Invalid email is specified', retrySafe: true })
  })

  it.each([
    [0, false, false],
    [502, false, false],
    [400, false, true],
    [408, false, false],
    [0, true, true],
  ])('status %i of a write that is idempotent=%s is retry-safe=%s', (status, idempotent, safe) => {
    expect(toPortalError('crm.item.add', { code: 'X', status }, idempotent).retrySafe).toBe(safe)
  })
})
