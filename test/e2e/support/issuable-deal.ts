import type { PortalState } from '../../emulator/data/portal-state.ts'

/**
 * A demo deal the app can issue for: over `minAmount` roubles, not in `used`, without any invoice
 * yet, whose contact or company has a valid e-mail, and whose responsible is `responsibleId` or,
 * by default, anyone with a mailbox connected to CRM (the default settings name no sender: without
 * a mailbox Bitrix24 refuses the e-mail). Adds it to `used`; throws when none is left.
 */
export function issuableDeal(state: PortalState, used: Set<number>, minAmount = 0, responsibleId: number | null = null): number {
  const withMailbox = new Set(state.users.filter(user => user.crmMailbox).map(user => user.id))
  const responsibleFits = (id: number) => (responsibleId === null ? withMailbox.has(id) : id === responsibleId)
  for (const deal of state.entities[2].items) {
    const id = Number(deal.id)
    if (used.has(id) || Number(deal.opportunity) <= minAmount || state.entities[31].items.some(item => Number(item.parentId2) === id) || !responsibleFits(Number(deal.assignedById)))
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
