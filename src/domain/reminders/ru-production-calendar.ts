/**
 * The Russian production calendar (производственный календарь) as the reminders' default holidays,
 * for a five-day week. The admin can edit both lists in the settings; a new year needs a new release
 * (or a hand edit) once its decree is published, usually in the autumn of the year before.
 *
 * Sources:
 * - Labour Code art. 112 part 1: the non-working holidays 1–8 January, 23 February, 8 March,
 *   1 May, 9 May, 12 June, 4 November; part 2: a holiday on a Saturday or Sunday moves the day off
 *   to the next working day, except the January ones, which the Government moves by decree.
 * - 2026: Government decree No. 1466 of 24 September 2025 «О переносе выходных дней в 2026 году»:
 *   Saturday 3 January → Friday 9 January, Sunday 4 January → Thursday 31 December; 8 March
 *   (Sunday) → Monday 9 March and 9 May (Saturday) → Monday 11 May by art. 112 part 2. No working
 *   Saturdays in 2026.
 * - 2027: no decree yet when this was written (only a preliminary plan was reported: Friday
 *   5 November off for a working Saturday 13 November; not included). Listed are the statutory holidays and the art. 112 part 2 moves, which need no
 *   decree: 1 May (Saturday) → Monday 3 May, 9 May (Sunday) → Monday 10 May, 12 June (Saturday) →
 *   Monday 14 June. The January moves (2 and 3 January fall on a weekend) and any working Saturday
 *   are missing until the decree is out.
 */

/** Non-working holidays and the weekdays days off were moved to, 2026, ISO `YYYY-MM-DD`. */
const HOLIDAYS_2026 = [
  '2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08',
  '2026-01-09', // moved from Saturday 3 January
  '2026-02-23',
  '2026-03-08', '2026-03-09', // 8 March is a Sunday
  '2026-05-01',
  '2026-05-09', '2026-05-11', // 9 May is a Saturday
  '2026-06-12',
  '2026-11-04',
  '2026-12-31', // moved from Sunday 4 January
] as const

/** 2027 as far as the law alone decides it (see the note above: the decree is still missing). */
const HOLIDAYS_2027 = [
  '2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08',
  '2027-02-23',
  '2027-03-08',
  '2027-05-01', '2027-05-03', // 1 May is a Saturday
  '2027-05-09', '2027-05-10', // 9 May is a Sunday
  '2027-06-12', '2027-06-14', // 12 June is a Saturday
  '2027-11-04',
] as const

/** The default holiday list: 2026 and 2027, ascending. */
export const RU_HOLIDAYS: readonly string[] = [...HOLIDAYS_2026, ...HOLIDAYS_2027]

/** Saturdays and Sundays made working days by decree: none in 2026, unknown yet for 2027. */
export const RU_WORKING_WEEKENDS: readonly string[] = []
