/** Injected wherever time matters, so tests can hold time still or move it. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export const DAY_MS = 86_400_000
