import { toSnapshot, type BanditModel } from '@oo/bandit';
import type { PolicyCatalog, ReplicaDocument } from '@oo/model-state';

/**
 * What a replica loads: the model at its current version with at most `maxUsers` personal parts,
 * the most recently used (the map's order is recency), and the catalog. `complete` tells the
 * replica whether a user it does not find is a new user (score on the prior) or one it must ask
 * ml-serving about.
 *
 * @example
 * const bytes = encodeReplica(replicaDocument(model, live.holdsEveryUser(), 10_000, catalog));
 */
export function replicaDocument(model: BanditModel, holdsEveryUser: boolean, maxUsers: number, catalog: PolicyCatalog): ReplicaDocument {
  const users = [...model.users];
  const kept = users.slice(Math.max(0, users.length - maxUsers));
  return {
    model: toSnapshot({ ...model, users: new Map(kept) }),
    complete: holdsEveryUser && kept.length === users.length,
    policies: Object.fromEntries(catalog),
  };
}
