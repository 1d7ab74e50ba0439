import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@oo/logger';

/** A real logger whose JSON lines are collected for assertions. */
export function captureLog(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { log: createLogger({ service: 'test', version: '0.0.1', level: 'debug', destination }), lines };
}
