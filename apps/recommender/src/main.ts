// Composition root of the recommender: configuration first (every bad key listed before any side
// effect), then the service, then graceful shutdown in the brief's order.
import { onShutdown, serverPort } from '@oo/http';
import { createLogger } from '@oo/logger';
import { loadRecommenderConfig } from './config';
import { startRecommenderService } from './service';

async function main(): Promise<void> {
  const config = loadRecommenderConfig();
  const log = createLogger({ service: 'recommender', version: config.SERVICE_VERSION, level: config.LOG_LEVEL });
  const service = await startRecommenderService(config, log);
  log.info({ port: serverPort(service.server) }, 'recommender listening');
  onShutdown(log, service.shutdownSteps, { graceMs: config.SHUTDOWN_GRACE_MS });
}

main().catch((err: unknown) => {
  process.stderr.write(`recommender failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
