// taskgraph-style relative times ('1 day', '2 hours', '3 weeks', '1 year'):
// deadline-after and expires-after are written this way. Months and years are
// fixed lengths (30 and 365 days), as taskgraph counts them.

const UNIT_SECONDS: Record<string, number> = {};
function unit(seconds: number, ...names: string[]): void {
  for (const n of names) UNIT_SECONDS[n] = seconds;
}
unit(1, 's', 'sec', 'secs', 'second', 'seconds');
unit(60, 'min', 'mins', 'minute', 'minutes');
unit(3600, 'h', 'hr', 'hrs', 'hour', 'hours');
unit(86400, 'd', 'day', 'days');
unit(7 * 86400, 'w', 'week', 'weeks');
unit(30 * 86400, 'mo', 'month', 'months');
unit(365 * 86400, 'y', 'year', 'years');

const PART = /(\d+)\s*([a-z]+)/gy;

export const RELATIVE_TIME_EXPECTED = 'a duration such as "1 day", "2 hours", "3 weeks" or "1 year"';

/** Seconds in `text`, or undefined when it is not a relative time. Parts add up: '1 day 2 hours'. */
export function parseRelativeTime(text: string): number | undefined {
  const s = text.trim().toLowerCase();
  if (s === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  let pos = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) return undefined;
    const seconds = UNIT_SECONDS[m[2]!];
    if (seconds === undefined) return undefined;
    total += Number(m[1]) * seconds;
    pos = PART.lastIndex;
    while (pos < s.length && /[\s,]/.test(s[pos]!)) pos++;
  }
  return total;
}

/** ISO-8601 time `text` after `buildDate` (seconds since the epoch). */
export function isoAfter(buildDate: number, seconds: number): string {
  return new Date((buildDate + seconds) * 1000).toISOString();
}
