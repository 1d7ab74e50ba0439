import type { ModelSnapshot, PolicySpec, UserSnapshot } from '@oo/bandit';
import { ModelStateError } from './model-state-error';
import { policyAssignmentSchema, type PolicyAssignment } from './observation-wire';

// A checkpoint is mostly matrices (A, A⁻¹ and every user's part: ~3 000 doubles per user at 82
// dimensions). As JSON that is ~19 bytes and a float parse per number; here it is a small JSON
// header in which every numeric array is replaced by a reference into one block of float64s.
//
//   "OOMS" | u32 format (1) | u32 header bytes | header JSON | zero padding to 8 | float64 LE…

const MAGIC = 'OOMS';
const FORMAT = 1;
const PREFIX_BYTES = 12;

// Plain numbers, not an array: the replacer would otherwise take the reference for data.
interface ArrayRef {
  $f64: number;
  length: number;
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number');
}

function isArrayRef(value: unknown): value is ArrayRef {
  const ref = value as Partial<ArrayRef> | null;
  return typeof ref === 'object' && ref !== null && Number.isInteger(ref.$f64) && Number.isInteger(ref.length);
}

/**
 * Encodes a model snapshot exactly (every double bit for bit), so an instance that loads it
 * continues in lockstep with the one that wrote it.
 *
 * @example
 * const bytes = encodeSnapshot(toSnapshot(model));
 */
export function encodeSnapshot(snapshot: ModelSnapshot): Buffer {
  return encodeDocument(snapshot);
}

/**
 * Decodes bytes written by `encodeSnapshot`; `fromSnapshot` then checks every length.
 *
 * @example
 * const model = fromSnapshot(decodeSnapshot(row.snapshot));
 */
export function decodeSnapshot(bytes: Uint8Array): ModelSnapshot {
  return decodeDocument(bytes) as ModelSnapshot;
}

/**
 * Encodes one user's part (a row of `model_snapshot_users`) in the same exact format.
 *
 * @example
 * const bytes = encodeUserSnapshot(userToSnapshot(model.users.get('u1')!));
 */
export function encodeUserSnapshot(snapshot: UserSnapshot): Buffer {
  return encodeDocument(snapshot);
}

/**
 * Decodes bytes written by `encodeUserSnapshot`; `userFromSnapshot` then checks every length.
 *
 * @example
 * const stats = userFromSnapshot(decodeUserSnapshot(row.stats), k, d, model.config.userLambda);
 */
export function decodeUserSnapshot(bytes: Uint8Array): UserSnapshot {
  return decodeDocument(bytes) as UserSnapshot;
}

/**
 * What a replica loads to score on its own: the model with the users the serving instance holds
 * (`complete` when that is every user it knows), and the policy catalog it scores with.
 */
export interface ReplicaDocument {
  model: ModelSnapshot;
  complete: boolean;
  policies: Record<string, PolicySpec>;
  /** Which policy is live and which are shadows, once a promotion set it; absent before any. */
  assignment?: PolicyAssignment;
}

/**
 * Encodes a replica document in the same exact format as a checkpoint.
 *
 * @example
 * res.type('application/octet-stream').send(encodeReplica({ model: toSnapshot(model), complete, policies }));
 */
export function encodeReplica(document: ReplicaDocument): Buffer {
  return encodeDocument(document);
}

/**
 * Decodes bytes written by `encodeReplica`; `fromSnapshot` then checks the model's every length.
 *
 * @example
 * const { model, complete, policies } = decodeReplica(body);
 */
export function decodeReplica(bytes: Uint8Array): ReplicaDocument {
  const document = decodeDocument(bytes) as Partial<ReplicaDocument> | null;
  if (typeof document !== 'object' || document === null || typeof document.model !== 'object' || typeof document.complete !== 'boolean' || typeof document.policies !== 'object') {
    throw new ModelStateError('INVALID_SNAPSHOT', 'not a replica document');
  }
  if (document.assignment !== undefined && !policyAssignmentSchema.safeParse(document.assignment).success) {
    throw new ModelStateError('INVALID_SNAPSHOT', 'the replica document has an unreadable policy assignment');
  }
  return document as ReplicaDocument;
}

function encodeDocument(snapshot: object): Buffer {
  const arrays: number[][] = [];
  let doubles = 0;
  const header = Buffer.from(
    JSON.stringify(snapshot, (_key, value: unknown) => {
      if (!isNumberArray(value)) return value;
      const ref: ArrayRef = { $f64: doubles, length: value.length };
      arrays.push(value);
      doubles += value.length;
      return ref;
    }),
    'utf8',
  );
  const dataStart = Math.ceil((PREFIX_BYTES + header.length) / 8) * 8;
  const out = Buffer.alloc(dataStart + doubles * 8);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(FORMAT, 4);
  out.writeUInt32LE(header.length, 8);
  header.copy(out, PREFIX_BYTES);
  let at = dataStart;
  for (const values of arrays) {
    for (const v of values) {
      out.writeDoubleLE(v, at);
      at += 8;
    }
  }
  return out;
}

function decodeDocument(bytes: Uint8Array): unknown {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf.length < PREFIX_BYTES || buf.toString('latin1', 0, 4) !== MAGIC || buf.readUInt32LE(4) !== FORMAT) {
    throw new ModelStateError('INVALID_SNAPSHOT', 'not a model snapshot in a known format');
  }
  const headerBytes = buf.readUInt32LE(8);
  const dataStart = Math.ceil((PREFIX_BYTES + headerBytes) / 8) * 8;
  const doubles = (buf.length - dataStart) / 8;
  if (PREFIX_BYTES + headerBytes > buf.length || !Number.isInteger(doubles) || doubles < 0) {
    throw new ModelStateError('INVALID_SNAPSHOT', 'truncated model snapshot');
  }
  try {
    return JSON.parse(buf.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + headerBytes), (_key, value: unknown) => {
      if (!isArrayRef(value)) return value;
      const { $f64: offset, length } = value;
      if (offset < 0 || length < 0 || offset + length > doubles) throw new RangeError('array reference beyond the data');
      return Array.from({ length }, (_, i) => buf.readDoubleLE(dataStart + (offset + i) * 8));
    }) as unknown;
  } catch (cause) {
    throw new ModelStateError('INVALID_SNAPSHOT', 'unreadable model snapshot header', { cause });
  }
}
