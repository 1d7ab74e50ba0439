import type { ExportFieldRow } from '../../db/database';

/** One service's file in the archive, as the README describes it. */
export interface ReadmeSection {
  service: string;
  fields: readonly ExportFieldRow[];
  /** Rows per table in the service's file. */
  rowCounts: Readonly<Record<string, number>>;
}

// A description is one table cell: no line breaks, and a `|` would end the cell.
const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();

/**
 * The README.md of an export archive, written from what each service sent about its own schema
 * (column types and their `COMMENT ON COLUMN`): one section per service file, one table of fields
 * per database table. Nothing in it is written by hand for a particular field.
 *
 * @example
 * const text = exportReadme({ exportId, generatedAt: now, expiresAt, sections: [{ service: 'profile', fields, rowCounts }] });
 */
export function exportReadme(input: { exportId: string; generatedAt: Date; expiresAt: Date; sections: readonly ReadmeSection[] }): string {
  const lines = [
    '# Your oO data export',
    '',
    `Export \`${input.exportId}\`, made ${input.generatedAt.toISOString()}; the download link works until ${input.expiresAt.toISOString()}.`,
    '',
    'Every service of oO that holds data about you wrote one file here, `<service>.json`: an object whose keys are',
    'tables and whose values are your rows in them, each row an object of field → value. Times are ISO 8601 in UTC;',
    'binary values are base64. Secrets (tokens, keys, password-like values) are never exported: where one is held,',
    'the file says so instead of showing it. The fields below are described by each service from its own database.',
    '',
  ];
  for (const section of input.sections) {
    lines.push(`## ${section.service} — \`${section.service}.json\``, '');
    const tables = [...new Set(section.fields.map((f) => f.table))];
    for (const table of tables) {
      const rows = section.rowCounts[table] ?? 0;
      lines.push(`### ${table} (${rows} ${rows === 1 ? 'row' : 'rows'})`, '', '| field | type | description |', '|---|---|---|');
      for (const field of section.fields.filter((f) => f.table === table)) {
        lines.push(`| \`${field.column}\` | ${cell(field.type)} | ${cell(field.description) || '(no description)'} |`);
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}
