// Human case numbers 案件编号. The UUID-like id stays the case's identity (offline
// creation, commands, the log); the number is what people read aloud, write down and search:
//
//   DG20261207-106-0042  =  city prefix · report date (Asia/Shanghai) · town · sequence
//
// - city prefix: the city's letters (DG = 东莞), or its division code when no letters are known;
// - date: the Shanghai calendar day the case was reported, YYYYMMDD;
// - town: the last 3 digits of the 9-digit town (镇街) code, 441900106 → 106;
// - sequence: per town and day, from 0001, 4 digits at least (more when a day passes 9,999).
//
// The server allocates it inside the transaction that stores the case (src-server/cases/
// case-numbers.ts), so numbers are unique and gap-free per town and day. A case created on a
// console that has not reached the server yet has no number: it shows a provisional one,
// 临-<last 6 characters of its id>, until the server's answer brings the real number.
import { formatShanghaiDate } from './calendar';

const CITY_LETTERS: Record<string, string> = { '4419': 'DG', '441900': 'DG' };

export const CASE_NUMBER_PATTERN = /^[A-Z0-9]{2,6}\d{8}-\d{3}-\d{4,}$/;

export function cityPrefix(cityCode: string): string {
  return CITY_LETTERS[cityCode] ?? cityCode;
}

export function formatCaseNumber(
  cityCode: string,
  reportedAt: number,
  townCode: string,
  seq: number,
): string {
  return `${cityPrefix(cityCode)}${numberDay(reportedAt)}-${townCode.slice(-3)}-${String(seq).padStart(4, '0')}`;
}

/** The Shanghai day of a report as the number's date part, 'YYYYMMDD'. */
export function numberDay(reportedAt: number): string {
  return formatShanghaiDate(reportedAt).replaceAll('-', '');
}

export const PROVISIONAL_PREFIX = '临-';

export function provisionalNumber(id: string): string {
  return `${PROVISIONAL_PREFIX}${id.slice(-6)}`;
}

/**
 * A case this console knows nothing of (not in its cache nor its outbox): never the whole id
 * to a reader, only its tail, marked as a reference rather than a number.
 */
export function unknownCaseRef(id: string): string {
  return `#${id.slice(-6)}`;
}

/**
 * The number to show for a case: the server's, else a provisional one while the case is only
 * in this console's outbox, else (a case stored before numbers existed) its id.
 */
export function caseNumberText(c: { id: string; number?: string | null }, pending: boolean): string {
  if (c.number) return c.number;
  return pending ? provisionalNumber(c.id) : c.id;
}
