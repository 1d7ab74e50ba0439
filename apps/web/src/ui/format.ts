const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/** "3 hours ago", "in 2 days": a time relative to now, for people. */
export function fromNow(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  return ageText(seconds);
}

/** A signed number of seconds as relative words ("5 minutes ago"). */
export function ageText(seconds: number): string {
  const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? ['second', 1];
  return relative.format(Math.round(seconds / size), unit);
}

/** A length of time in the largest whole unit ("6 hours", "30 days"). */
export function durationText(seconds: number): string {
  const [unit, size] = UNITS.find(([, s]) => seconds >= s) ?? ['second', 1];
  const n = Math.round(seconds / size);
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** A date and time in the viewer's own format. */
export function dateTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** A share 0…1 as a whole percentage. */
export function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}
