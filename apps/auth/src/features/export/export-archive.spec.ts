import { strFromU8, unzipSync } from 'fflate';
import type { StoredChunk } from './export.repository';
import { ExportAssemblyError, assembleParts, buildExportArchive } from './export-archive';
import { exportReadme } from './export-readme';

const fields = [
  { table: 'preferences', column: 'timezone', type: 'text', description: 'Your IANA time zone' },
  { table: 'preferences', column: 'channels', type: '_text', description: 'How oO may | reach you' },
  { table: 'tip_feedback', column: 'reaction', type: 'text', description: '' },
];

// A service's document cut into `size`-byte chunks, as its consumer would send them.
function chunksOf(service: string, document: unknown, size: number): StoredChunk[] {
  const bytes = Buffer.from(JSON.stringify(document));
  const count = Math.ceil(bytes.length / size);
  return Array.from({ length: count }, (_, i) => ({ service, chunk_index: i, chunk_count: count, data: bytes.subarray(i * size, (i + 1) * size), fields: i === 0 ? fields : null }));
}

describe('assembleParts', () => {
  it('puts chunks that arrived in any order back into each service\'s document', () => {
    const profile = { preferences: [{ timezone: 'Europe/Berlin', channels: ['push'] }], tip_feedback: [] };
    const notifier = { contacts: [{ email: 'ada@example.com' }] };
    const backwards = chunksOf('profile', profile, 16).reverse();
    expect(backwards.length).toBeGreaterThan(2);
    const chunks = [...backwards, ...chunksOf('notifier', notifier, 1000)];
    const parts = assembleParts(chunks);
    expect(parts.map((p) => p.service)).toEqual(['notifier', 'profile']);
    expect(parts[1]?.document).toEqual(profile);
    expect(parts[1]?.fields).toEqual(fields);
  });

  it('refuses a part with a chunk missing or counts that disagree', () => {
    const chunks = chunksOf('profile', { preferences: [{ timezone: 'Europe/Berlin' }] }, 8);
    expect(() => assembleParts(chunks.slice(1))).toThrow(ExportAssemblyError);
    expect(() => assembleParts(chunks.map((c, i) => (i === 1 ? { ...c, chunk_count: c.chunk_count + 1 } : c)))).toThrow(/do not make one part/);
    expect(() => assembleParts([{ service: 'x', chunk_index: 0, chunk_count: 1, data: Buffer.from('{"a":'), fields: null }])).toThrow(/not JSON/);
  });
});

describe('buildExportArchive', () => {
  it('zips one JSON file per service and a README generated from their field descriptions', () => {
    const generatedAt = new Date('2026-12-03T10:00:00Z');
    const expiresAt = new Date('2026-12-10T10:00:00Z');
    const document = { preferences: [{ timezone: 'Europe/Berlin', channels: ['push'] }], tip_feedback: [{ reaction: 'done' }, { reaction: 'snooze' }] };
    const zip = buildExportArchive({ exportId: 'e-1', generatedAt, expiresAt, parts: assembleParts(chunksOf('profile', document, 20)) });
    const files = unzipSync(new Uint8Array(zip));
    expect(Object.keys(files).sort()).toEqual(['README.md', 'profile.json']);
    expect(JSON.parse(strFromU8(files['profile.json'] as Uint8Array))).toEqual(document);
    const readme = strFromU8(files['README.md'] as Uint8Array);
    expect(readme).toContain('## profile — `profile.json`');
    expect(readme).toContain('### preferences (1 row)');
    expect(readme).toContain('### tip_feedback (2 rows)');
    expect(readme).toContain('| `timezone` | text | Your IANA time zone |');
    // A pipe in a description must not split its cell; a column without a comment says so.
    expect(readme).toContain('| `channels` | _text | How oO may \\| reach you |');
    expect(readme).toContain('| `reaction` | text | (no description) |');
    expect(readme).toContain(expiresAt.toISOString());
  });
});

describe('exportReadme', () => {
  it('lists services and their tables in the order given, and only the fields they sent', () => {
    const text = exportReadme({
      exportId: 'e-2',
      generatedAt: new Date('2026-12-03T10:00:00Z'),
      expiresAt: new Date('2026-12-10T10:00:00Z'),
      sections: [
        { service: 'auth', fields: [{ table: 'users', column: 'email', type: 'text', description: 'Your e-mail address' }], rowCounts: { users: 1 } },
        { service: 'profile', fields: fields.slice(0, 1), rowCounts: {} },
      ],
    });
    expect(text.indexOf('## auth')).toBeLessThan(text.indexOf('## profile'));
    expect(text).toContain('### preferences (0 rows)');
    expect(text).not.toContain('tip_feedback');
  });
});
