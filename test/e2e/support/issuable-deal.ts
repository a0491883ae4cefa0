import type { PortalState } from '../../emulator/data/portal-state.ts'

/**
 * A demo deal the app can issue for: over `minAmount` roubles, not in `used`, without any invoice
 * yet, whose contact or company has a valid e-mail. Adds it to `used`; throws when none is left.
 */
export function issuableDeal(state: PortalState, used: Set<number>, minAmount = 0): number {
  for (const deal of state.entities[2].items) {
    const id = Number(deal.id)
    if (used.has(id) || Number(deal.opportunity) <= minAmount || state.entities[31].items.some(item => Number(item.parentId2) === id))
      continue
    const people = [state.entities[3].byId.get(Number(deal.contactId)), state.entities[4].byId.get(Number(deal.companyId))]
    const email = people.flatMap(p => ((p?.fm ?? []) as Array<{ typeId: string, value: string }>).filter(f => f.typeId === 'EMAIL').map(f => f.value))[0]
    if (email && /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(email)) {
      used.add(id)
      return id
    }
  }
  throw new Error('no issuable demo deal left')
}
