import { timingSafeEqual } from 'node:crypto';
import { hashSecret, newOpaqueSecret } from '../sign-in/opaque-secret';

/** A service client as the launcher provisions it: the secret goes to the service, the digest to auth. */
export interface NewServiceClient {
  clientId: string;
  /** 32 random bytes, base64url: what the service sends as its `client_secret`. */
  secret: string;
  /** SHA-256 of the secret, hex: what SERVICE_CLIENTS_FILE lists. */
  secretSha256: string;
}

/**
 * Makes a service client: a random secret and its digest.
 *
 * @example
 * const gateway = createServiceClient('gateway');
 * writeFileSync(file, serviceClientsFile([gateway]));   // for auth (SERVICE_CLIENTS_FILE)
 * env.SERVICE_CLIENT_SECRET = gateway.secret;           // for the gateway
 */
export function createServiceClient(clientId: string): NewServiceClient {
  const { value, hash } = newOpaqueSecret();
  return { clientId, secret: value, secretSha256: hash.toString('hex') };
}

/**
 * The SERVICE_CLIENTS_FILE document for these clients (digests only, never secrets).
 *
 * @example
 * writeFileSync('.oo/service-clients.json', serviceClientsFile([createServiceClient('gateway')]), { mode: 0o600 });
 */
export function serviceClientsFile(clients: readonly Pick<NewServiceClient, 'clientId' | 'secretSha256'>[]): string {
  return `${JSON.stringify({ clients: clients.map(({ clientId, secretSha256 }) => ({ clientId, secretSha256 })) }, null, 2)}\n`;
}

/** Whether `secret` matches a stored digest, in constant time. */
export function secretMatches(secret: string, storedDigest: Buffer): boolean {
  const digest = hashSecret(secret);
  return digest.length === storedDigest.length && timingSafeEqual(digest, storedDigest);
}
