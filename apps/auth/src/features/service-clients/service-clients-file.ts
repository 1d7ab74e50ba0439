import { readFile } from 'node:fs/promises';
import { z } from 'zod';

// Service names, as the kit's service tokens carry them in `sub`.
const clientId = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be a lower-case service name (a-z, 0-9, -)');

const fileSchema = z.strictObject({
  clients: z
    .array(z.strictObject({ clientId, secretSha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be a SHA-256 digest, 64 hex digits') }))
    .refine((clients) => new Set(clients.map((c) => c.clientId)).size === clients.length, 'must not list a client twice'),
});

/** One client of SERVICE_CLIENTS_FILE. */
export interface ServiceClientEntry {
  clientId: string;
  secretDigest: Buffer;
}

/** SERVICE_CLIENTS_FILE is missing, not JSON, or not of the documented shape. */
export class ServiceClientsFileError extends Error {
  override readonly name = 'ServiceClientsFileError';
  readonly code = 'AUTH_SERVICE_CLIENTS_FILE_INVALID';
}

/**
 * Reads SERVICE_CLIENTS_FILE: `{ "clients": [{ "clientId": "gateway", "secretSha256": "<hex>" }] }`.
 *
 * @example
 * const clients = await readServiceClientsFile('/etc/oo/service-clients.json');
 */
export async function readServiceClientsFile(path: string): Promise<ServiceClientEntry[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new ServiceClientsFileError(`SERVICE_CLIENTS_FILE ${path} could not be read as JSON`, { cause: err });
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
    throw new ServiceClientsFileError(`SERVICE_CLIENTS_FILE ${path} is not valid: ${issues}`);
  }
  return parsed.data.clients.map((c) => ({ clientId: c.clientId, secretDigest: Buffer.from(c.secretSha256, 'hex') }));
}
