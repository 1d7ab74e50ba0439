import { eventually } from '@oo/testing';

/** The shape of an `exports.part` message (oo.exports.v1.ExportPart), as far as tests read it. */
export interface ExportPartMessage {
  requestId: string;
  service: string;
  chunkIndex: number;
  chunkCount: number;
  data: Uint8Array;
  fields: { table: string; column: string; type: string; description: string }[];
}

/**
 * Waits for every chunk a service published for an export (on its harness's stream), and joins
 * them into its JSON document, with the field descriptions of chunk 0.
 *
 * @example
 * h.publish('exports.requested', create(ExportRequestedSchema, { requestId, userId }), userId, { source: 'auth' });
 * const { document, fields } = await exportedPart(h, requestId);
 */
export async function exportedPart(
  h: { eventsOn(subject: 'exports.part'): Promise<{ message: ExportPartMessage }[]> },
  requestId: string,
  waitMs = 15_000,
): Promise<{ service: string; document: Record<string, Record<string, unknown>[]>; fields: ExportPartMessage['fields']; chunks: number }> {
  const chunks = await eventually(
    async () => {
      const mine = (await h.eventsOn('exports.part')).map((e) => e.message).filter((m) => m.requestId === requestId);
      const count = mine[0]?.chunkCount ?? 0;
      return count > 0 && new Set(mine.map((m) => m.chunkIndex)).size === count ? mine : undefined;
    },
    `every chunk of the part for ${requestId}`,
    waitMs,
  );
  const ordered = [...new Map(chunks.map((c) => [c.chunkIndex, c])).values()].sort((a, b) => a.chunkIndex - b.chunkIndex);
  const text = Buffer.concat(ordered.map((c) => Buffer.from(c.data))).toString('utf8');
  return { service: ordered[0]?.service ?? '', document: JSON.parse(text) as Record<string, Record<string, unknown>[]>, fields: ordered[0]?.fields ?? [], chunks: ordered.length };
}
