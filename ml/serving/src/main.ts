// Composition root of ml-serving: configuration first (every bad key listed before any side
// effect), then the service, then graceful shutdown in the brief's order.
import { onShutdown, serverPort } from '@oo/http';
import { createLogger } from '@oo/logger';
import { loadMlServingConfig } from './config';
import { startMlServingService } from './service';

async function main(): Promise<void> {
  const config = loadMlServingConfig();
  const log = createLogger({ service: 'ml-serving', version: config.SERVICE_VERSION, level: config.LOG_LEVEL });
  const service = await startMlServingService(config, log);
  log.info({ port: serverPort(service.server) }, 'ml-serving listening');
  onShutdown(log, service.shutdownSteps, { graceMs: config.SHUTDOWN_GRACE_MS });
}

main().catch((err: unknown) => {
  process.stderr.write(`ml-serving failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
