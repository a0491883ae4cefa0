/** The emulator's clock: a settable "now" that then runs on with real time. */
export interface Clock {
  now(): number
  set(instant: Date): void
}

export function createClock(initial?: Date, realNow: () => number = Date.now): Clock {
  let offset = initial ? initial.getTime() - realNow() : 0
  return {
    now: () => realNow() + offset,
    set: (instant) => { offset = instant.getTime() - realNow() },
  }
}
