import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ExportRequestedSchema, type ExportPart } from '@oo/contracts';
import { inTransaction, type Transaction } from '@oo/db';
import type { Logger } from '@oo/logger';
import type { AuthDatabase } from '../../db/database';
import { AuthError } from '../../errors';
import type { AuthContext } from '../../service';
import { ExportAssemblyError, assembleParts, buildExportArchive } from './export-archive';
import {
  archiveOf,
  chunkTally,
  chunksOf,
  collectingExportOf,
  exportsStartedSince,
  findExport,
  insertChunk,
  insertExport,
  lockCollectingExport,
  markFailed,
  markReady,
  markReceived,
  partsBytes,
  type ExportRow,
} from './export.repository';

const DAY_MS = 86_400_000;
// A part announcing more chunks than this is broken (at 256 KiB a chunk, that is far past any archive limit).
const MAX_CHUNKS = 4096;

/** What an export needs beyond the kit: who must answer, and the limits (auth's EXPORT_* config). */
export interface ExportDeps extends Pick<AuthContext, 'db' | 'clock' | 'enqueue'> {
  contributors: readonly string[];
  ttlMs: number;
  collectTimeoutMs: number;
  maxArchiveBytes: number;
  perDay: number;
  log: Logger;
}

/**
 * A user asks for a copy of their data: the request is tracked with the services that must send a
 * part (every consumer of `exports.requested` in deploy/nats) and `exports.requested` goes out.
 * Asking again while one is collecting answers with that one; more than `perDay` in 24 hours is
 * refused (429).
 *
 * @example
 * const view = await requestExport(deps, userId);
 */
export async function requestExport(deps: ExportDeps, userId: string): Promise<ExportRow> {
  const exportId = await inTransaction(deps.db, async (trx) => {
    // The user row's lock serialises one user's requests (one in flight, the daily count).
    const user = await trx.selectFrom('users').select(['user_id', 'deletion_requested_at']).where('user_id', '=', userId).forUpdate().executeTakeFirst();
    if (!user || user.deletion_requested_at) throw new AuthError('AUTH_USER_NOT_FOUND', `no user ${userId}`);
    const open = await collectingExportOf(trx, userId);
    if (open) return open.export_id;
    const now = deps.clock();
    const recent = await exportsStartedSince(trx, userId, new Date(now.getTime() - DAY_MS));
    if (recent.count >= deps.perDay) {
      const again = new Date((recent.oldest ?? now).getTime() + DAY_MS).toISOString();
      throw new AuthError('AUTH_EXPORT_RATE_LIMITED', `at most ${deps.perDay} exports a day; the next one can start at ${again}`);
    }
    const id = randomUUID();
    await insertExport(trx, {
      export_id: id,
      user_id: userId,
      status: 'collecting',
      contributors: [...deps.contributors],
      requested_at: now,
      collect_by: new Date(now.getTime() + deps.collectTimeoutMs),
      ready_at: null,
      expires_at: null,
      failure: null,
      archive: null,
      archive_bytes: null,
    });
    await deps.enqueue(trx, 'exports.requested', create(ExportRequestedSchema, { requestId: id, userId, requestedAt: timestampFromDate(now) }), { userId, time: now });
    return id;
  });
  return exportOf(deps, userId, exportId);
}

/** The user's export (404 for an unknown one, and for another user's). */
export async function exportOf(deps: Pick<ExportDeps, 'db'>, userId: string, exportId: string): Promise<ExportRow> {
  const row = await findExport(deps.db, userId, exportId);
  if (!row) throw new AuthError('AUTH_EXPORT_NOT_FOUND', `no export ${exportId}`);
  return row;
}

/** The archive's bytes while it is downloadable: 409 before it is ready, 410 once it expired. */
export async function exportArchive(deps: Pick<ExportDeps, 'db' | 'clock'>, userId: string, exportId: string): Promise<Buffer> {
  const row = await archiveOf(deps.db, userId, exportId);
  if (!row) throw new AuthError('AUTH_EXPORT_NOT_FOUND', `no export ${exportId}`);
  const expired = row.status === 'expired' || (row.expires_at !== null && row.expires_at <= deps.clock());
  if (expired) throw new AuthError('AUTH_EXPORT_EXPIRED', 'this export has expired and its archive was deleted; start a new export');
  if (row.status !== 'ready' || !row.archive) throw new AuthError('AUTH_EXPORT_NOT_READY', `the export is ${row.status}, not ready`);
  return row.archive;
}

/**
 * Handles one `exports.part` in the consumer's transaction: stores the chunk (a repeat is a
 * no-op), marks the service received once all its chunks are in, and when every contributor is,
 * builds the archive and deletes the parts — in that same transaction. Parts of an unknown,
 * finished or failed export, or from a service not asked, change nothing.
 */
export function exportPartHandler(deps: ExportDeps) {
  return async (trx: Transaction<AuthDatabase>, part: ExportPart): Promise<void> => {
    const request = part.requestId ? await lockCollectingExport(trx, part.requestId) : undefined;
    if (!request || !request.contributors.includes(part.service)) return;
    const now = deps.clock();
    if (part.chunkCount < 1 || part.chunkCount > MAX_CHUNKS || part.chunkIndex >= part.chunkCount) {
      await markFailed(trx, request.export_id, `${part.service} sent a chunk ${part.chunkIndex} of ${part.chunkCount}`);
      return;
    }
    const fields = part.chunkIndex === 0 ? part.fields.map(({ table, column, type, description }) => ({ table, column, type, description })) : null;
    await insertChunk(trx, request.export_id, { service: part.service, chunk_index: part.chunkIndex, chunk_count: part.chunkCount, data: Buffer.from(part.data), fields }, now);
    if ((await partsBytes(trx, request.export_id)) > deps.maxArchiveBytes) {
      await markFailed(trx, request.export_id, `your data is larger than an archive may be (${deps.maxArchiveBytes} bytes)`);
      return;
    }
    const tally = await chunkTally(trx, request.export_id, part.service);
    if (tally.counts.length > 1) {
      await markFailed(trx, request.export_id, `${part.service} sent chunks that disagree on their count`);
      return;
    }
    if (tally.received < part.chunkCount) return;
    const received = await markReceived(trx, request.export_id, part.service);
    if (!request.contributors.every((s) => received.includes(s))) return;
    await completeExport(trx, deps, request.export_id, now);
  };
}

async function completeExport(trx: Transaction<AuthDatabase>, deps: ExportDeps, exportId: string, now: Date): Promise<void> {
  const expiresAt = new Date(now.getTime() + deps.ttlMs);
  try {
    const archive = buildExportArchive({ exportId, generatedAt: now, expiresAt, parts: assembleParts(await chunksOf(trx, exportId)) });
    if (archive.length > deps.maxArchiveBytes) throw new ExportAssemblyError(`the archive is larger than an archive may be (${deps.maxArchiveBytes} bytes)`);
    await markReady(trx, exportId, archive, now, expiresAt);
    deps.log.info({ exportId, bytes: archive.length }, 'data export ready: every service sent its part');
  } catch (err) {
    if (!(err instanceof ExportAssemblyError)) throw err;
    await markFailed(trx, exportId, err.message);
    deps.log.warn({ exportId, reason: err.message }, 'data export failed');
  }
}
