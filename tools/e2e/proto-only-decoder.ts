import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileRegistry, fromBinary, toJson, type JsonValue } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { ROOT } from '../services';

/**
 * Decodes payloads the way a data scientist would: `buf build` turns `proto/` into descriptors
 * and the protobuf runtime reads messages by their fully qualified name — no generated code.
 */
export function protoOnlyDecoder(): (typeName: string, payload: Uint8Array) => JsonValue {
  const dir = mkdtempSync(join(tmpdir(), 'oo-proto-'));
  try {
    const image = join(dir, 'image.binpb');
    const build = spawnSync(join(ROOT, 'node_modules/.bin/buf'), ['build', 'proto', '-o', image], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`buf build failed: ${build.stderr}`);
    const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(image)));
    return (typeName, payload) => {
      const desc = registry.getMessage(typeName);
      if (!desc) throw new Error(`proto/ has no message ${typeName}`);
      return toJson(desc, fromBinary(desc, payload), { registry });
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
