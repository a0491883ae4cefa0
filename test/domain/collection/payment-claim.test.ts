import type { CollectionState, PaymentClaimRecord } from '../../../src/domain/collection/collection-state.ts'
import { describe, expect, it } from 'vitest'
import { emptyCollectionState } from '../../../src/domain/collection/collection-state.ts'
import { ownClaim, PAYMENT_CLAIM_LEASE_MS, paymentClaimWinner } from '../../../src/domain/collection/payment-claim.ts'

const at = '2026-12-04T12:00:00+03:00'
const now = Date.parse(at) + 1_000
const claim = (logId: number, runner: string, status: 'claim' | 'release' = 'claim', when = at): PaymentClaimRecord =>
  ({ logId, at: when, status, runner, amount: { amountMinor: 100, currency: 'RUB' } })
const state = (claims: PaymentClaimRecord[], paymentIds: number[] = []): CollectionState => ({
  ...emptyCollectionState(31),
  paymentClaims: claims,
  payments: paymentIds.map(logId => ({ logId, amount: { amountMinor: 100, currency: 'RUB' }, paidOn: '2026-12-04' })),
})

describe('domain/collection/payment-claim', () => {
  it('the lowest open claim wins, whoever reads', () => {
    expect(paymentClaimWinner(state([claim(11, 'b'), claim(10, 'a')]), now)?.runner).toBe('a')
  })

  it('a payment record or a release closes the claims before it', () => {
    expect(paymentClaimWinner(state([claim(10, 'a'), claim(11, 'b')], [12]), now)).toBeNull()
    expect(paymentClaimWinner(state([claim(10, 'a'), claim(11, 'a', 'release'), claim(12, 'b')]), now)?.runner).toBe('b')
  })

  it('a claim older than the lease (its window died) no longer blocks', () => {
    const old = new Date(Date.parse(at) - PAYMENT_CLAIM_LEASE_MS - 1).toISOString()
    expect(paymentClaimWinner(state([claim(10, 'dead', 'claim', old), claim(11, 'b')]), now)?.runner).toBe('b')
  })

  it('finds this attempt\'s own claim by its runner id', () => {
    expect(ownClaim(state([claim(10, 'a'), claim(11, 'b')]), 'b')?.logId).toBe(11)
    expect(ownClaim(state([claim(10, 'a')]), 'c')).toBeNull()
  })
})
