/** How far back the journal looks: today, the last 7 or 30 days, or everything kept. */
export type JournalPeriod = 'today' | 'week' | 'month' | 'all'

/** The periods the journal's filter offers, in order. */
export const JOURNAL_PERIODS: readonly JournalPeriod[] = ['today', 'week', 'month', 'all']

/** Days before today the period starts at (0 = today); null = no lower bound. */
export const PERIOD_DAYS: Readonly<Record<JournalPeriod, number | null>> = { today: 0, week: 6, month: 29, all: null }
