// Public holidays and make-up working days (调休) of mainland China, as the working-time calendar
// (calendar.ts) needs them. Dates are Asia/Shanghai calendar dates, inclusive.
//
// Sources
// - 2025: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, Nov 2024).
// - 2026: 国务院办公厅关于2026年部分节假日安排的通知 (Nov 2025).
// - 2027: PROVISIONAL. The notice is published each November and may not be in our data yet, so
//   the 2027 rows are derived from the statutory rules and marked `provisional: true`; replace them
//   with the official notice as soon as it is out. The rules applied (全国年节及纪念日放假办法 as
//   amended in 2024, and the practice of recent notices):
//   * statutory days: 元旦 1, 春节 4 (除夕 to 初三), 清明 1, 劳动节 2 (May 1–2), 端午 1, 中秋 1,
//     国庆 3 (Oct 1–3);
//   * a statutory day that falls on a weekend is compensated by a nearby weekday, and the break is
//     extended into a continuous block with weekend days swapped in as make-up working days;
//   * no more than six working days in a row around a break (make-up days sit on a Saturday or
//     Sunday adjoining the block);
//   * a festival on a Wednesday stays a single day off rather than a bridge needing two make-up days.
//   Derivation for 2027: 元旦 Fri Jan 1 + weekend → Jan 1–3, no make-up. 春节: 除夕 Fri Feb 5,
//   初一 Sat Feb 6 → Feb 5–13 (9 days; 2 statutory days fell on the weekend), make-up Sun Jan 31 and
//   Sun Feb 14 (the Sunday right after the block works, else the break would run on to 10 days).
//   清明 Mon Apr 5 → Apr 3–5. 劳动节 May 1–2 fall on Sat/Sun → May 1–5 with make-up Sat May 8.
//   端午 Wed Jun 9 → Jun 9 only. 中秋 Wed Sep 15 → Sep 15 only. 国庆 Fri Oct 1 → Oct 1–7, make-up
//   Sun Sep 26 and Sat Oct 9.

export interface HolidayPeriod {
  year: number;
  nameZh: string;
  nameEn: string;
  /** First day off, 'YYYY-MM-DD'. */
  from: string;
  /** Last day off, inclusive. */
  to: string;
  /** Weekend days that become working days to make up for this break (调休上班). */
  makeUpWorkdays: readonly string[];
  /** True when derived from the rules instead of taken from a published notice. */
  provisional: boolean;
}

export const HOLIDAY_PERIODS: readonly HolidayPeriod[] = [
  // 2025 — 国办发明电〔2024〕12号
  {
    year: 2025,
    nameZh: '元旦',
    nameEn: "New Year's Day",
    from: '2025-01-01',
    to: '2025-01-01',
    makeUpWorkdays: [],
    provisional: false,
  },
  {
    year: 2025,
    nameZh: '春节',
    nameEn: 'Spring Festival',
    from: '2025-01-28',
    to: '2025-02-04',
    makeUpWorkdays: ['2025-01-26', '2025-02-08'],
    provisional: false,
  },
  {
    year: 2025,
    nameZh: '清明节',
    nameEn: 'Qingming Festival',
    from: '2025-04-04',
    to: '2025-04-06',
    makeUpWorkdays: [],
    provisional: false,
  },
  {
    year: 2025,
    nameZh: '劳动节',
    nameEn: 'Labour Day',
    from: '2025-05-01',
    to: '2025-05-05',
    makeUpWorkdays: ['2025-04-27'],
    provisional: false,
  },
  {
    year: 2025,
    nameZh: '端午节',
    nameEn: 'Dragon Boat Festival',
    from: '2025-05-31',
    to: '2025-06-02',
    makeUpWorkdays: [],
    provisional: false,
  },
  {
    year: 2025,
    nameZh: '国庆节、中秋节',
    nameEn: 'National Day and Mid-Autumn Festival',
    from: '2025-10-01',
    to: '2025-10-08',
    makeUpWorkdays: ['2025-09-28', '2025-10-11'],
    provisional: false,
  },

  // 2026 — notice of November 2025
  {
    year: 2026,
    nameZh: '元旦',
    nameEn: "New Year's Day",
    from: '2026-01-01',
    to: '2026-01-03',
    makeUpWorkdays: ['2026-01-04'],
    provisional: false,
  },
  {
    year: 2026,
    nameZh: '春节',
    nameEn: 'Spring Festival',
    from: '2026-02-15',
    to: '2026-02-23',
    makeUpWorkdays: ['2026-02-14', '2026-02-28'],
    provisional: false,
  },
  {
    year: 2026,
    nameZh: '清明节',
    nameEn: 'Qingming Festival',
    from: '2026-04-04',
    to: '2026-04-06',
    makeUpWorkdays: [],
    provisional: false,
  },
  {
    year: 2026,
    nameZh: '劳动节',
    nameEn: 'Labour Day',
    from: '2026-05-01',
    to: '2026-05-05',
    makeUpWorkdays: ['2026-05-09'],
    provisional: false,
  },
  {
    year: 2026,
    nameZh: '端午节',
    nameEn: 'Dragon Boat Festival',
    from: '2026-06-19',
    to: '2026-06-21',
    makeUpWorkdays: [],
    provisional: false,
  },
  {
    year: 2026,
    nameZh: '中秋节',
    nameEn: 'Mid-Autumn Festival',
    from: '2026-09-25',
    to: '2026-09-27',
    makeUpWorkdays: [],
    provisional: false,
  },
  {
    year: 2026,
    nameZh: '国庆节',
    nameEn: 'National Day',
    from: '2026-10-01',
    to: '2026-10-07',
    makeUpWorkdays: ['2026-09-20', '2026-10-10'],
    provisional: false,
  },

  // 2027 — provisional, derived as explained in the header
  {
    year: 2027,
    nameZh: '元旦',
    nameEn: "New Year's Day",
    from: '2027-01-01',
    to: '2027-01-03',
    makeUpWorkdays: [],
    provisional: true,
  },
  {
    year: 2027,
    nameZh: '春节',
    nameEn: 'Spring Festival',
    from: '2027-02-05',
    to: '2027-02-13',
    makeUpWorkdays: ['2027-01-31', '2027-02-14'],
    provisional: true,
  },
  {
    year: 2027,
    nameZh: '清明节',
    nameEn: 'Qingming Festival',
    from: '2027-04-03',
    to: '2027-04-05',
    makeUpWorkdays: [],
    provisional: true,
  },
  {
    year: 2027,
    nameZh: '劳动节',
    nameEn: 'Labour Day',
    from: '2027-05-01',
    to: '2027-05-05',
    makeUpWorkdays: ['2027-05-08'],
    provisional: true,
  },
  {
    year: 2027,
    nameZh: '端午节',
    nameEn: 'Dragon Boat Festival',
    from: '2027-06-09',
    to: '2027-06-09',
    makeUpWorkdays: [],
    provisional: true,
  },
  {
    year: 2027,
    nameZh: '中秋节',
    nameEn: 'Mid-Autumn Festival',
    from: '2027-09-15',
    to: '2027-09-15',
    makeUpWorkdays: [],
    provisional: true,
  },
  {
    year: 2027,
    nameZh: '国庆节',
    nameEn: 'National Day',
    from: '2027-10-01',
    to: '2027-10-07',
    makeUpWorkdays: ['2027-09-26', '2027-10-09'],
    provisional: true,
  },
];

/** Years the table covers; outside them the calendar knows weekends only. */
export const HOLIDAY_TABLE_YEARS = { first: 2025, last: 2027 } as const;
