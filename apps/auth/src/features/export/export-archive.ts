import { strToU8, zipSync } from 'fflate';
import type { ExportFieldRow } from '../../db/database';
import type { StoredChunk } from './export.repository';
import { exportReadme } from './export-readme';

/** Why an export cannot be assembled from its parts (the export fails with this reason). */
export class ExportAssemblyError extends Error {
  readonly code = 'AUTH_EXPORT_ASSEMBLY_FAILED';
}

/** One service's whole part: its JSON document and its field descriptions. */
export interface AssembledPart {
  service: string;
  document: Record<string, unknown[]>;
  fields: ExportFieldRow[];
}

/**
 * Puts each service's chunks back together in index order and parses the document; every chunk
 * must be there exactly once and agree on the count.
 *
 * @example
 * const parts = assembleParts(await chunksOf(trx, exportId));
 */
export function assembleParts(chunks: readonly StoredChunk[]): AssembledPart[] {
  const byService = new Map<string, StoredChunk[]>();
  for (const chunk of chunks) byService.set(chunk.service, [...(byService.get(chunk.service) ?? []), chunk]);
  return [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, own]) => {
      const ordered = [...own].sort((a, b) => a.chunk_index - b.chunk_index);
      const count = ordered[0]?.chunk_count ?? 0;
      if (ordered.length !== count || ordered.some((c, i) => c.chunk_index !== i || c.chunk_count !== count)) {
        throw new ExportAssemblyError(`${service} sent chunks that do not make one part`);
      }
      let document: unknown;
      try {
        document = JSON.parse(Buffer.concat(ordered.map((c) => c.data)).toString('utf8'));
      } catch (cause) {
        throw new ExportAssemblyError(`${service}'s part is not JSON`, { cause });
      }
      if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new ExportAssemblyError(`${service}'s part is not an object of tables`);
      return { service, document: document as Record<string, unknown[]>, fields: ordered[0]?.fields ?? [] };
    });
}

/**
 * The zip a user downloads: `<service>.json` per contributing service (pretty-printed) and a
 * README.md generated from the services' field descriptions. Deflated, with fixed entry times so
 * the same parts give the same bytes.
 *
 * @example
 * const zip = buildExportArchive({ exportId, generatedAt: now, expiresAt, parts });
 */
export function buildExportArchive(input: { exportId: string; generatedAt: Date; expiresAt: Date; parts: readonly AssembledPart[] }): Buffer {
  const mtime = input.generatedAt;
  const files: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const part of input.parts) files[`${part.service}.json`] = [strToU8(`${JSON.stringify(part.document, null, 2)}\n`), { mtime }];
  const sections = input.parts.map((part) => ({
    service: part.service,
    fields: part.fields,
    rowCounts: Object.fromEntries(Object.entries(part.document).map(([table, rows]) => [table, Array.isArray(rows) ? rows.length : 0])),
  }));
  files['README.md'] = [strToU8(exportReadme({ exportId: input.exportId, generatedAt: input.generatedAt, expiresAt: input.expiresAt, sections })), { mtime }];
  return Buffer.from(zipSync(files, { level: 6 }));
}
