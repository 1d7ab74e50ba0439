import type { ColumnType, Generated } from '@oo/db';

// Timestamps come back from pg as Date; defaults are Generated so inserts may leave them out.
export interface UsersTable {
  user_id: string;
  email: string | null;
  display_name: string | null;
  created_at: Generated<Date>;
  deletion_requested_at: Date | null;
}

export interface IdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  email: string | null;
  linked_at: Generated<Date>;
  last_sign_in_at: Generated<Date>;
}

export interface LoginAttemptsTable {
  attempt_hash: Buffer;
  state: string;
  nonce: string;
  code_verifier: string;
  client: 'web' | 'native';
  return_to: string | null;
  native_client_id: string | null;
  native_redirect_uri: string | null;
  native_code_challenge: string | null;
  native_state: string | null;
  created_at: Generated<Date>;
  expires_at: Date;
  consumed_at: Date | null;
}

export interface SessionsTable {
  session_id: string;
  token_hash: Buffer;
  user_id: string;
  csrf_token: string;
  user_agent: string | null;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  absolute_expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

export interface AuthorizationCodesTable {
  code_hash: Buffer;
  user_id: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  created_at: Generated<Date>;
  expires_at: Date;
  consumed_at: Date | null;
  family_id: string | null;
}

export interface RefreshFamiliesTable {
  family_id: string;
  user_id: string;
  client_id: string;
  created_at: Generated<Date>;
  absolute_expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

export interface RefreshTokensTable {
  token_hash: Buffer;
  family_id: string;
  issued_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
}

export interface SigningKeysTable {
  kid: string;
  public_jwk: Record<string, unknown>;
  private_jwe: string;
  created_at: Generated<Date>;
  signs_from: Date;
  retired_at: Date | null;
  expires_at: Date | null;
}

export interface ServiceClientsTable {
  client_id: string;
  secret_hash: Buffer;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface DeletionReceiptsTable {
  request_id: string;
  service: string;
  /** Receipts name only their request; rows from before that rule are cleared when the deletion completes. */
  user_id: string | null;
  completed_at: Date;
}

/** One account deletion, from the request until every service holding user data has answered. */
export interface DeletionRequestsTable {
  request_id: string;
  /** Null once completed. */
  user_id: string | null;
  /** SHA-256 of `<request_id>:<user_id>`, hex: given both, anyone can check this is their deletion. */
  subject_digest: string;
  /** The services expected to send a receipt, as the NATS definitions said when it was requested. */
  holders: string[];
  requested_at: Date;
  due_at: Date;
  completed_at: Date | null;
}

export type ExportStatus = 'collecting' | 'ready' | 'failed' | 'expired';

/** One data export, from the request until its archive expires. */
export interface ExportRequestsTable {
  export_id: string;
  user_id: string;
  status: ExportStatus;
  /** The services expected to send a part, as the NATS definitions said when it was requested. */
  contributors: string[];
  /** The contributors whose every chunk is in. */
  received: Generated<string[]>;
  requested_at: Date;
  /** Parts not all in by then: the export fails (a service is down), and the user may ask again. */
  collect_by: Date;
  ready_at: Date | null;
  /** Set when ready: the archive is downloadable until then, and pruned after. */
  expires_at: Date | null;
  failure: string | null;
  archive: Buffer | null;
  archive_bytes: number | null;
}

/** One chunk of one service's part of an export, kept until the archive is built. */
export interface ExportPartsTable {
  export_id: string;
  service: string;
  chunk_index: number;
  chunk_count: number;
  data: Buffer;
  /** The field descriptions, on chunk 0. */
  fields: ColumnType<ExportFieldRow[] | null, string | null, string | null>;
  received_at: Date;
}

/** An exported column as its service described it. */
export interface ExportFieldRow {
  table: string;
  column: string;
  type: string;
  description: string;
}

/** The `auth` schema: everything auth owns and nothing else (plus the outbox and inbox of @oo/events). */
export interface AuthDatabase {
  users: UsersTable;
  identities: IdentitiesTable;
  login_attempts: LoginAttemptsTable;
  sessions: SessionsTable;
  authorization_codes: AuthorizationCodesTable;
  refresh_families: RefreshFamiliesTable;
  refresh_tokens: RefreshTokensTable;
  signing_keys: SigningKeysTable;
  service_clients: ServiceClientsTable;
  deletion_receipts: DeletionReceiptsTable;
  deletion_requests: DeletionRequestsTable;
  export_requests: ExportRequestsTable;
  export_parts: ExportPartsTable;
}
