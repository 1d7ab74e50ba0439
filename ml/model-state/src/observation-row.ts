/**
 * One entry of the observation log, as ml-serving stores it (`learned_observations`): `seq` is
 * its position (int8, read as a string so 64 bits stay exact), and a model's version is the seq
 * of the last entry it applied.
 */
export interface ObservationRow {
  seq: string;
  /** `reward` teaches the model; `forget` drops a user's part (an erasure). */
  kind: 'reward' | 'forget';
  decision_id?: string | null;
  user_id: string | null;
  /** Layout of `features`; a model on another layout re-expresses the vector by name. */
  layout_version: string | null;
  /** The chosen candidate's model vector (`encodeVector`). */
  features: Uint8Array | null;
  reward: number | null;
  outcome: string | null;
}
