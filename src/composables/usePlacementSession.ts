import type { InjectionKey } from 'vue'
import type { PlacementSession } from '../portal/frame-session.ts'
import { inject } from 'vue'

export const placementSessionKey: InjectionKey<PlacementSession> = Symbol('placement-session')

/** The placement the app was opened in; provided by `main.ts` after the frame handshake. */
export function usePlacementSession(): PlacementSession {
  const session = inject(placementSessionKey)
  if (!session)
    throw new Error('usePlacementSession() needs a PlacementSession provided at the app root')
  return session
}
