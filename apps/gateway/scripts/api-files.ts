import { resolve } from 'node:path';
import { gatewayApiDocument } from '../src/app';

/** The repository's root, from this file's place in it. */
export const ROOT = resolve(__dirname, '../../..');

/** What `npm run api:generate` writes, by path from the root. */
export const API_FILES = {
  document: 'docs/openapi.json',
  schema: 'libs/api-client/src/schema.d.ts',
} as const;

/**
 * docs/openapi.json as it should be: the gateway's document, pretty-printed.
 *
 * @example
 * await writeFile('docs/openapi.json', renderApiDocument());
 */
export function renderApiDocument(): string {
  return `${JSON.stringify(gatewayApiDocument(), null, 2)}\n`;
}
