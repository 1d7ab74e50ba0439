// Composition root of the profile service: configuration first (every bad key listed before any
// side effect), then the service, then graceful shutdown in the brief's order.
import { onShutdown, serverPort } from '@oo/http';
import { createLogger } from '@oo/logger';
import { loadProfileConfig } from './config';
import { startProfileService } from './service';

async function main(): Promise<void> {
  const config = loadProfileConfig();
  const log = createLogger({ service: 'profile', version: config.SERVICE_VERSION, level: config.LOG_LEVEL });
  const service = await startProfileService(config, log);
  log.info({ port: serverPort(service.server) }, 'profile listening');
  onShutdown(log, service.shutdownSteps, { graceMs: config.SHUTDOWN_GRACE_MS });
}

main().catch((err: unknown) => {
  process.stderr.write(`profile failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
