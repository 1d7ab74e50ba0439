export { ModelStateError, type ModelStateErrorCode } from './model-state-error';
export { decodeVector, encodeVector } from './vector-codec';
export { decodeReplica, decodeSnapshot, decodeUserSnapshot, encodeReplica, encodeSnapshot, encodeUserSnapshot, type ReplicaDocument } from './snapshot-codec';
export type { ObservationRow } from './observation-row';
export { ObservationApplier } from './observation-applier';
export { forgetByKey, forgetKey } from './forget-key';
export {
  fromObservationPageJson,
  observationPageSchema,
  policyAssignmentSchema,
  toObservationPageJson,
  type ObservationPage,
  type ObservationPageJson,
  type PolicyAssignment,
} from './observation-wire';
export { scoreDecision, type PolicyCatalog } from './decision-scoring';
