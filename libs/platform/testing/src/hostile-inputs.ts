/** One hostile request for one route: what it tries, and the raw parts it sends. */
export interface FuzzCase {
  name: string;
  /** Path and query exactly as sent (already percent-encoded, or deliberately not). */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** The id put into every path parameter that is not under attack; user tokens are issued for it. */
export const FUZZ_SAMPLE_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

const JSON_TYPE = 'application/json';

// Raw path segments: broken percent-encodings (truncated, invalid hex, overlong, surrogate, lone
// byte), encoded control characters, ids of the wrong shape and size, traversal.
const PATH_VALUES: readonly [string, string][] = [
  ['truncated percent-encoding', '%E0%A4%A'],
  ['lone percent', '%'],
  ['invalid hex escape', '%zz'],
  ['overlong utf-8', '%C0%AF'],
  ['encoded surrogate', '%ED%A0%80'],
  ['invalid utf-8 byte', '%FF'],
  ['encoded NUL', '%00'],
  ['encoded newline', 'a%0Ab'],
  ['encoded slash', 'a%2Fb'],
  ['not a uuid', 'not-a-uuid'],
  ['nil uuid', '00000000-0000-0000-0000-000000000000'],
  ['upper-case uuid', FUZZ_SAMPLE_ID.toUpperCase()],
  ['negative number', '-1'],
  ['huge number', '9'.repeat(40)],
  ['sql quote', "%27%20OR%201%3D1--"],
  ['emoji', '%F0%9F%92%A9'],
  ['traversal', '..%2F..%2Fetc%2Fpasswd'],
  ['prototype key', '__proto__'],
  ['long id', 'a'.repeat(300)],
  ['huge id', 'a'.repeat(6000)],
];

// Names that list and search endpoints commonly read; a route ignores the ones it does not know.
const QUERY_NAMES = ['limit', 'offset', 'cursor', 'page', 'since', 'before', 'after', 'q', 'sort', 'from', 'to'];
const QUERY_VALUES: readonly [string, string][] = [
  ['text', 'abc'],
  ['negative', '-1'],
  ['zero', '0'],
  ['fraction', '1.5'],
  ['overflowing number', '1e309'],
  ['huge integer', '9'.repeat(40)],
  ['empty', ''],
  ['broken percent-encoding', '%E0%A4%A'],
  ['encoded NUL', '%00'],
  ['huge value', 'x'.repeat(6000)],
];

/** A JSON value replaced into one field of a sample body: every type, limits, odd strings. */
const FIELD_VALUES: readonly [string, unknown][] = [
  ['null', null],
  ['zero', 0],
  ['negative', -1],
  ['huge number', 1e308],
  ['fraction', 1.5],
  ['boolean', true],
  ['empty string', ''],
  ['unknown word', 'zz-unknown'],
  ['huge string', 'x'.repeat(20_000)],
  ['NUL character', 'a\u0000b'],
  ['lone surrogate', '\ud800'],
  ['control characters', '\u0001\u001b[31m'],
  ['empty array', []],
  ['empty object', {}],
  ['array of objects', [{}, {}]],
  ['nested object', { a: { b: { c: { d: 1 } } } }],
];

function nested(open: string, close: string, depth: number, inner = '1'): string {
  return `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
}

/** Cases against each path parameter in turn, the others holding their sample values. */
export function pathCases(template: string, fill: (name: string) => string): FuzzCase[] {
  const names = [...template.matchAll(/[:*]([A-Za-z0-9_]+)/g)].map((m) => m[1] ?? '');
  return names.flatMap((target) =>
    PATH_VALUES.map(([what, value]) => ({
      name: `path :${target} ${what}`,
      url: template.replace(/[:*]([A-Za-z0-9_]+)/g, (_m, name: string) => (name === target ? value : encodeURIComponent(fill(name)))),
      headers: {},
    })),
  );
}

/** Bad values for common query names, all at once, plus repeated, bracketed and badly encoded names. */
export function queryCases(path: string): FuzzCase[] {
  const cases = QUERY_VALUES.map(([what, value]) => ({
    name: `query ${what}`,
    url: `${path}?${QUERY_NAMES.map((n) => `${n}=${value}`).join('&')}`,
    headers: {},
  }));
  cases.push(
    { name: 'query repeated names', url: `${path}?${QUERY_NAMES.map((n) => `${n}=1&${n}=2`).join('&')}`, headers: {} },
    { name: 'query bracketed names', url: `${path}?${QUERY_NAMES.map((n) => `${n}[$gt]=1&${n}[a][b]=2`).join('&')}`, headers: {} },
    { name: 'query broken name', url: `${path}?%E0%A4%A=1&%=2`, headers: {} },
  );
  return cases;
}

function json(name: string, url: string, text: string | Buffer, type = JSON_TYPE, extra: Record<string, string> = {}): FuzzCase {
  return { name, url, headers: { 'content-type': type, ...extra }, body: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8') };
}

/** Bodies of the wrong syntax, type, shape, size, encoding and content type. */
export function bodyCases(url: string, sample: unknown): FuzzCase[] {
  const valid = JSON.stringify(sample ?? {});
  const cases: FuzzCase[] = [
    json('body empty', url, ''),
    json('body truncated JSON', url, '{"a":'),
    json('body trailing comma', url, '{"a":1,}'),
    json('body not JSON', url, 'hello'),
    ...['null', 'true', '1', '"text"', '[]', '[{}]', `[${valid}]`, '{}'].map((t) => json(`body ${t.slice(0, 20)}`, url, t)),
    json('body with unknown fields', url, `{"unknownField":"x","__proto__":{"isAdmin":true},"constructor":{"prototype":{}}${valid === '{}' ? '' : `,${valid.slice(1, -1)}`}}`),
    json('body deeply nested object', url, nested('{"a":', '}', 5000)),
    json('body deeply nested array', url, nested('[', ']', 5000)),
    json('body huge string', url, JSON.stringify({ value: 'x'.repeat(60_000) })),
    json('body far over the size limit', url, JSON.stringify({ value: 'x'.repeat(2_000_000) })),
    json('body invalid utf-8', url, Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe, 0xc0]), Buffer.from('"}')])),
    json('body NUL in string', url, '{"a":"\\u0000"}'),
    json('body as text/plain', url, valid, 'text/plain'),
    json('body as form', url, 'a=1&b=2', 'application/x-www-form-urlencoded'),
    json('body as multipart', url, '--x\r\n\r\n1\r\n--x--', 'multipart/form-data; boundary=x'),
    json('body in utf-16 charset', url, valid, 'application/json; charset=utf-16'),
    json('body in unknown charset', url, valid, 'application/json; charset=klingon'),
    json('body claims gzip', url, valid, JSON_TYPE, { 'content-encoding': 'gzip' }),
    json('body unknown content-encoding', url, valid, JSON_TYPE, { 'content-encoding': 'bogus' }),
    json('body vendor +json type', url, valid, 'application/vnd.oo+json'),
  ];
  for (const path of fieldPaths(sample)) {
    const name = path.join('.');
    const original = valueAt(sample, path);
    cases.push(json(`field ${name} missing`, url, JSON.stringify(replaceAt(sample, path, undefined))));
    for (const [what, value] of FIELD_VALUES) cases.push(json(`field ${name} ${what}`, url, JSON.stringify(replaceAt(sample, path, value))));
    cases.push(json(`field ${name} wrapped in an array`, url, JSON.stringify(replaceAt(sample, path, [original]))));
  }
  return cases;
}

// Enough to reach every field of a realistic body, bounded so a large sample stays cheap.
const MAX_FIELD_PATHS = 40;

// Every property of the sample at any depth, and the first element of each array (the others are
// alike), breadth first so the top-level fields always make the cut.
function fieldPaths(sample: unknown): (string | number)[][] {
  const paths: (string | number)[][] = [];
  const queue: [unknown, (string | number)[]][] = [[sample, []]];
  while (queue.length > 0 && paths.length < MAX_FIELD_PATHS) {
    const [value, at] = queue.shift() as [unknown, (string | number)[]];
    const children: [string | number, unknown][] = Array.isArray(value)
      ? value.slice(0, 1).map((v) => [0, v])
      : value !== null && typeof value === 'object'
        ? Object.entries(value)
        : [];
    for (const [key, child] of children) {
      if (paths.length < MAX_FIELD_PATHS) paths.push([...at, key]);
      queue.push([child, [...at, key]]);
    }
  }
  return paths;
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[key] : undefined), root);
}

// A copy of `root` with the value at `path` replaced (`undefined` removes a property).
function replaceAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(root)) return root.map((item, i) => (i === key ? replaceAt(item, rest, value) : item));
  const record = { ...(root as Record<string, unknown>) };
  const next = replaceAt(record[key], rest, value);
  if (next === undefined) delete record[key];
  else record[key] = next;
  return record;
}

/** Headers the platform reads for every request, with junk in them. */
export function headerCases(url: string): FuzzCase[] {
  return [
    { name: 'header junk request id', url, headers: { 'x-request-id': 'x'.repeat(4000) } },
    { name: 'header junk traceparent', url, headers: { traceparent: '00-zz-zz-zz' } },
    { name: 'header all-zero traceparent', url, headers: { traceparent: `00-${'0'.repeat(32)}-${'0'.repeat(16)}-01` } },
    { name: 'header html accept', url, headers: { accept: 'text/html' } },
  ];
}
