import { onShutdown } from '@oo/http';
import type { AnyServiceDescriptor } from './service-descriptor';
import { startService } from './start-service';

/**
 * The whole of a service's `main.ts`: start it from `process.env` and stop it in order on
 * SIGTERM/SIGINT. A start-up failure (bad config, database unreachable) exits 1 with the reason.
 *
 * @example
 * // apps/profile/src/main.ts
 * void runService(profile);
 */
export async function runService(descriptor: AnyServiceDescriptor): Promise<void> {
  try {
    const running = await startService(descriptor as Parameters<typeof startService>[0]);
    onShutdown(running.log, running.shutdownSteps, { graceMs: running.graceMs });
  } catch (err) {
    process.stderr.write(`${descriptor.name} failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
