import { describe, expect, it } from 'vitest'
import { createLeakyBucket, RATE_LIMITS } from '../limits/leaky-bucket.ts'
import { createOperatingTracker, simulatedProcessingSeconds } from '../limits/operating-time.ts'

describe('leaky bucket', () => {
  it('lets a burst of 50 through, refuses the 51st, drains 2 per second', () => {
    let now = 1_000_000
    const bucket = createLeakyBucket(RATE_LIMITS.cloud, () => now)
    for (let index = 0; index < 50; index++) expect(bucket.tryAcquire()).toBe(true)
    expect(bucket.tryAcquire()).toBe(false)
    now += 499
    expect(bucket.tryAcquire()).toBe(false)
    now += 1
    expect(bucket.tryAcquire()).toBe(true)
    expect(bucket.tryAcquire()).toBe(false)
    now += 10_000
    expect(bucket.level()).toBe(30)
  })

  it('never refuses at the drain rate', () => {
    let now = 0
    const bucket = createLeakyBucket(RATE_LIMITS.cloud, () => now)
    for (let index = 0; index < 1000; index++) {
      expect(bucket.tryAcquire()).toBe(true)
      now += 500
    }
  })

  it('enterprise: 250 burst', () => {
    const bucket = createLeakyBucket(RATE_LIMITS.enterprise, () => 0)
    let passed = 0
    for (let index = 0; index < 300; index++) if (bucket.tryAcquire()) passed++
    expect(passed).toBe(250)
  })
})

describe('operating time', () => {
  it('sums per client and method over 10 minutes and blocks over the limit', () => {
    let now = 0
    const tracker = createOperatingTracker(1, () => now)
    tracker.record('app', 'crm.item.list', 0.6)
    now += 60_000
    tracker.record('app', 'crm.item.list', 0.5)
    expect(tracker.isBlocked('app', 'crm.item.list')).toBe(true)
    expect(tracker.isBlocked('webhook:1', 'crm.item.list')).toBe(false)
    expect(tracker.isBlocked('app', 'crm.item.get')).toBe(false)
    expect(tracker.status('app', 'crm.item.list').resetAt).toBe(600)
    now = 600_001
    expect(tracker.status('app', 'crm.item.list').operating).toBeCloseTo(0.5)
    expect(tracker.isBlocked('app', 'crm.item.list')).toBe(false)
  })

  it('costs 5 ms plus 0.1 ms per row', () => {
    expect(simulatedProcessingSeconds(50)).toBeCloseTo(0.01)
  })
})
