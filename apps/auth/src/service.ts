import { subjects } from '@oo/contracts';
import { servicesConsuming } from '@oo/events';
import { answerExportRequest, defineService, type Kit } from '@oo/service';
import { createRoutes } from './app';
import { authConfigSchema, type AuthConfig } from './config';
import type { AuthDatabase } from './db/database';
import { authMigrations } from './db/migrations';
import { deletionHolders } from './features/deletion/deletion-holders';
import { deletionReceiptHandler } from './features/deletion/deletion.service';
import { startDeletionWatch } from './features/deletion/deletion-watch';
import { AUTH_EXPORT } from './features/export/auth-export';
import { startExportExpiry } from './features/export/export-expiry';
import { exportPartHandler } from './features/export/export.service';
import { startSigningKeys } from './features/keys/signing-keys.setup';
import { syncServiceClients } from './features/service-clients/service-clients.service';
import { createRelyingParty } from './features/sign-in/oidc-relying-party';
import { createTokenIssuer } from './features/tokens/token-issuer';

type AuthKit = Kit<AuthConfig, AuthDatabase, typeof subjects>;

// auth's own parts, built once from the kit at start-up: the signing keys and token issuer
// (features/keys), the identity provider's relying party (features/sign-in).
async function setupAuth(kit: AuthKit) {
  const { config } = kit;
  const relyingParty = createRelyingParty({
    issuerUrl: config.OIDC_ISSUER_URL,
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    redirectUri: `${config.AUTH_PUBLIC_URL.replace(/\/+$/, '')}/v1/auth/callback`,
    allowHttp: config.OIDC_ALLOW_HTTP,
    log: kit.log,
  });
  await syncServiceClients(kit, config.SERVICE_CLIENTS_FILE);
  const deletion = { holders: deletionHolders(kit.natsDefinitions), deadlineDays: config.DELETION_DEADLINE_DAYS };
  // Who sends a part of an export: every service consuming `exports.requested` (auth too), from deploy/nats.
  const exports = {
    contributors: servicesConsuming(kit.natsDefinitions, 'exports.requested'),
    ttlMs: config.EXPORT_TTL_MS,
    collectTimeoutMs: config.EXPORT_COLLECT_TIMEOUT_MS,
    maxArchiveBytes: config.EXPORT_MAX_ARCHIVE_BYTES,
    perDay: config.EXPORTS_PER_DAY,
  };
  // Keep this the last step that can fail: it starts the rotation timer, which only the stop step ends.
  const keys = await startSigningKeys(kit);
  const tokens = createTokenIssuer({
    keys,
    clock: kit.clock,
    issuer: config.AUTH_ISSUER,
    accessTokenTtlMs: config.ACCESS_TOKEN_TTL_MS,
    serviceTokenTtlMs: config.SERVICE_TOKEN_TTL_MS,
  });
  const deletionWatch = startDeletionWatch({ db: kit.db, clock: kit.clock, log: kit.log, registry: kit.registry });
  const exportExpiry = startExportExpiry({ db: kit.db, clock: kit.clock, log: kit.log });
  return { relyingParty, keys, tokens, deletion, deletionWatch, exports, exportExpiry };
}

/** What auth's routes and handlers receive: the kit and its own parts. */
export type AuthContext = AuthKit & Awaited<ReturnType<typeof setupAuth>>;

/**
 * auth, declared: `main.ts`, the test harness and the embedded start all run this. Every
 * subscription here must be declared in deploy/nats/consumers/auth.json, and the other way
 * round, or the service refuses to start.
 */
export const authService = defineService<AuthDatabase>()({
  name: 'auth',
  config: authConfigSchema,
  migrations: authMigrations,
  subjects,
  setup: setupAuth,
  routes: (ctx) => createRoutes(ctx),
  stop: [
    { name: 'stop signing-key rotation', run: (ctx) => ctx.keys.stop() },
    { name: 'stop the deletion watch', run: (ctx) => ctx.deletionWatch.stop() },
    { name: 'stop the export expiry', run: (ctx) => ctx.exportExpiry.stop() },
  ],
  subscriptions: [
    {
      durable: 'auth__deletion_receipt',
      subject: 'users.deletion.receipt',
      handler: (trx, event, ctx) => deletionReceiptHandler(ctx)(trx, event.message, event.time),
    },
    { durable: 'auth__export_requested', subject: 'exports.requested', handler: (trx, event, ctx) => answerExportRequest(trx, event.message, ctx, AUTH_EXPORT) },
    { durable: 'auth__export_part', subject: 'exports.part', handler: (trx, event, ctx) => exportPartHandler({ ...ctx, ...ctx.exports })(trx, event.message) },
  ],
});
