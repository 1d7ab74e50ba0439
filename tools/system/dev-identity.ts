import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webpush from 'web-push';
import { createServiceClient, serviceClientsFile } from '../../apps/auth/src/features/service-clients/service-client-secret';
import { startDevIdp, type DevIdp } from '../dev-idp/dev-idp';
import { DEV_TOOLS_CLIENT_ID } from './dev-sign-in';

/** The local identity provider's client that auth signs people in with. */
const DEV_IDP_CLIENT_ID = 'oo-local';

/** Signing in at the local identity provider as `admin` gives the admin role. */
export const DEV_ADMIN_NAME = 'admin';
const DEV_ADMIN_SUBJECT = `dev-${DEV_ADMIN_NAME}`;

export interface DevIdentityOptions {
  /** Where secrets of this development system live (mode 0700): the key-encryption key persists across runs. */
  stateDir: string;
  /** Every service of the system, for its client secret. */
  services: readonly string[];
  gatewayPort: number;
  authPort: number;
  /** The local identity provider's port (0: any free one). */
  idpPort: number;
  /** The caller's environment: an OIDC_ISSUER_URL there (e.g. Google's) replaces the local provider. */
  env: Readonly<Record<string, string | undefined>>;
}

/** Who signs people in and how services get their tokens, for one development system. */
export interface DevIdentity {
  /** The local identity provider, unless the environment names a real one. */
  readonly idp?: DevIdp;
  readonly publicUrl: string;
  /** What every service is told: the issuer, where the keys are, and its own client credentials. */
  envFor(service: string): Record<string, string>;
  stop(): Promise<void>;
}

function secretFile(path: string, make: () => string): string {
  if (!existsSync(path)) writeFileSync(path, make(), { mode: 0o600 });
  return readFileSync(path, 'utf8').trim();
}

/**
 * Prepares the identity side of a development system: the local identity provider (oidc-provider,
 * with a login page for any name) unless OIDC_ISSUER_URL is set, auth's key-encryption key
 * (kept in `stateDir` so the signing keys in the database stay readable across runs), and an
 * OAuth client per service (a fresh secret each run, its digest in the file auth syncs from).
 *
 * @example
 * const identity = await prepareDevIdentity({ stateDir: '.oo/identity', services, gatewayPort: 8080, authPort: 8081, idpPort: 8090, env: process.env });
 */
export async function prepareDevIdentity(options: DevIdentityOptions): Promise<DevIdentity> {
  const dir = options.stateDir;
  mkdirSync(join(dir, 'clients'), { recursive: true, mode: 0o700 });
  const publicUrl = `http://localhost:${options.gatewayPort}`;
  const authUrl = `http://127.0.0.1:${options.authPort}`;
  const clients = options.services.map((service) => {
    const client = createServiceClient(service);
    const path = join(dir, 'clients', `${service}.secret`);
    writeFileSync(path, client.secret, { mode: 0o600 });
    return { ...client, path };
  });
  const clientsFile = join(dir, 'service-clients.json');
  writeFileSync(clientsFile, serviceClientsFile(clients), { mode: 0o600 });
  const keyEncryptionKey = secretFile(join(dir, 'key-encryption.key'), () => randomBytes(32).toString('base64url'));
  // The token vault's master key: kept across runs, or every stored provider token would be lost.
  const vaultMasterKeys = secretFile(join(dir, 'vault-master.keys'), () => `dev1:${randomBytes(32).toString('base64url')}`);
  // The notifier's link secret and VAPID pair: kept, so old unsubscribe links and browsers' push subscriptions keep working.
  const linkSecret = secretFile(join(dir, 'notifier-link.secret'), () => randomBytes(32).toString('base64url'));
  const [vapidPublic, vapidPrivate] = secretFile(join(dir, 'vapid.keys'), () => {
    const pair = webpush.generateVAPIDKeys();
    return `${pair.publicKey}\n${pair.privateKey}`;
  }).split('\n');

  const external = options.env['OIDC_ISSUER_URL'];
  const idpSecret = randomBytes(32).toString('base64url');
  const idp = external
    ? undefined
    : await startDevIdp({ port: options.idpPort, clients: [{ clientId: DEV_IDP_CLIENT_ID, clientSecret: idpSecret, redirectUris: [`${publicUrl}/v1/auth/callback`] }] });
  const provider: Record<string, string> = idp
    ? { OIDC_ISSUER_URL: idp.issuer, OIDC_CLIENT_ID: DEV_IDP_CLIENT_ID, OIDC_CLIENT_SECRET: idpSecret, OIDC_ALLOW_HTTP: 'true' }
    : {};
  const common: Record<string, string> = {
    AUTH_ISSUER: publicUrl,
    AUTH_JWKS_URL: `${authUrl}/.well-known/jwks.json`,
    AUTH_TOKEN_URL: `${authUrl}/oauth/token`,
    PUBLIC_URL: publicUrl,
  };
  return {
    ...(idp ? { idp } : {}),
    publicUrl,
    envFor: (service) => ({
      ...common,
      SERVICE_CLIENT_SECRET_FILE: clients.find((c) => c.clientId === service)?.path ?? '',
      ...(service === 'auth'
        ? { ...provider, AUTH_PUBLIC_URL: publicUrl, AUTH_KEY_ENCRYPTION_KEY: keyEncryptionKey, SERVICE_CLIENTS_FILE: clientsFile, NATIVE_CLIENT_IDS: `oo-native,${DEV_TOOLS_CLIENT_ID}`, ADMIN_SUBJECTS: DEV_ADMIN_SUBJECT }
        : {}),
      ...(service === 'integrations' ? { VAULT_MASTER_KEYS: vaultMasterKeys } : {}),
      ...(service === 'notifier' ? { NOTIFIER_LINK_SECRET: linkSecret, VAPID_PUBLIC_KEY: vapidPublic ?? '', VAPID_PRIVATE_KEY: vapidPrivate ?? '' } : {}),
    }),
    stop: async () => {
      await idp?.stop();
    },
  };
}
