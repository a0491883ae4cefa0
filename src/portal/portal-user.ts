import type { ProfileDto } from './crm/crm-dto.ts'

/** The user the app acts for. `timeZone` is null when the user keeps the portal's default zone. */
export interface PortalUser {
  readonly id: number
  readonly isAdmin: boolean
  readonly name: string
  readonly timeZone: string | null
}

export function userFromProfile(dto: ProfileDto): PortalUser {
  return {
    id: Number(dto.ID),
    isAdmin: dto.ADMIN === true || String(dto.ADMIN) === 'true' || String(dto.ADMIN) === 'Y',
    name: [dto.NAME, dto.LAST_NAME].filter(Boolean).join(' '),
    timeZone: dto.TIME_ZONE || null,
  }
}
