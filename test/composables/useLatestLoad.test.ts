import { describe, expect, it } from 'vitest'
import { useLatestLoad } from '../../src/composables/useLatestLoad.ts'

/** A read the test answers by hand, in any order. */
function deferred<T>(): { promise: Promise<T>, resolve: (value: T) => void, reject: (error: unknown) => void } {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('composables/useLatestLoad', () => {
  it('keeps the newer answer when an older, slower one comes after it', async () => {
    const load = useLatestLoad()
    const shown: string[] = []
    const older = deferred<string>()
    const newer = deferred<string>()
    const first = load.run(() => older.promise, value => shown.push(value))
    const second = load.run(() => newer.promise, value => shown.push(value))
    newer.resolve('newer')
    expect(await second).toBeTypeOf('function')
    older.resolve('older')
    expect(await first).toBeNull()
    expect(shown).toEqual(['newer'])
    expect(load.status.value).toBe('ready')
  })

  it('ignores an older load\'s error, and shows the newest one\'s', async () => {
    const load = useLatestLoad()
    const older = deferred<string>()
    const newer = deferred<string>()
    const first = load.run(() => older.promise, () => {})
    const second = load.run(() => newer.promise, () => {})
    older.reject(new Error('old'))
    await first
    expect(load.status.value).toBe('loading')
    expect(load.error.value).toBeNull()
    newer.reject(new Error('new'))
    await second
    expect(load.status.value).toBe('error')
    expect((load.error.value as Error).message).toBe('new')
  })

  it('tells a follow-up read that a newer load started meanwhile', async () => {
    const load = useLatestLoad()
    const stillLatest = await load.run(async () => 1, () => {})
    expect(stillLatest?.()).toBe(true)
    const page = load.current()
    await load.run(async () => 2, () => {})
    expect(stillLatest?.()).toBe(false)
    expect(page()).toBe(false)
  })
})
