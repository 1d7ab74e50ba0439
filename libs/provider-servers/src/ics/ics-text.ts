// iCalendar text for tests and the local start, written as RFC 5545 §3.1 asks: CRLF line ends,
// content lines folded at 75 octets. Values are written as given; escape TEXT values with icsText.

/** A component's properties: `NAME` or `NAME;PARAM=value` → a value, or several for repeated properties. */
export type IcsProperties = Readonly<Record<string, string | readonly string[]>>;

const MAX_LINE_OCTETS = 75;

/**
 * One component (VEVENT, VTODO, VTIMEZONE, …) with its properties and nested components.
 *
 * @example
 * icsComponent('VTODO', { UID: 'passport', SUMMARY: icsText('Renew the passport'), 'DUE;VALUE=DATE': '20250401' })
 */
export function icsComponent(name: string, properties: IcsProperties, ...children: string[]): string {
  const lines = [`BEGIN:${name}`];
  for (const [key, value] of Object.entries(properties)) {
    for (const one of typeof value === 'string' ? [value] : value) lines.push(`${key}:${one}`);
  }
  return `${lines.map(fold).join('\r\n')}\r\n${children.join('')}END:${name}\r\n`;
}

/**
 * A whole calendar feed: a VCALENDAR around the components given.
 *
 * @example
 * server.setFeed('/work.ics', icsCalendar(icsComponent('VEVENT', { UID: 'a', DTSTART: '20250325T100000Z', DTEND: '20250325T110000Z' })));
 */
export function icsCalendar(...components: string[]): string {
  return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//oO//provider-servers//EN\r\nCALSCALE:GREGORIAN\r\n${components.join('')}END:VCALENDAR\r\n`;
}

/**
 * A TEXT value escaped as RFC 5545 §3.3.11 asks (backslash, semicolon, comma, newline).
 *
 * @example
 * icsText('Call Ada; then Bob') // 'Call Ada\\; then Bob'
 */
export function icsText(value: string): string {
  return value.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

/**
 * An instant as an iCalendar UTC DATE-TIME.
 *
 * @example
 * icsUtc(new Date('2025-03-25T10:00:00Z')) // '20250325T100000Z'
 */
export function icsUtc(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}/, '').replace(/[-:]/g, '');
}

function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    // Continuation lines begin with a space, which counts towards their 75 octets.
    if (octets + size > MAX_LINE_OCTETS) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n');
}
