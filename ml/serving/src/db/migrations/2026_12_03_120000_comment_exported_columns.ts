import { columnCommentsMigration } from '@oo/db';

/** Describes, in the schema, every column the data export hands a user (its README is made from these). */
export const commentExportedColumns = columnCommentsMigration({
  decisions: {
    decision_id: 'One tip chosen for you (the same id in the recommender)',
    served_at: 'When it was shown',
    policy: 'The learning policy that chose it',
    model_version: 'The model version that scored it',
    fallback: 'True when the default policy chose instead of the model',
    propensity: 'The probability with which the shown tip was chosen',
    feature_names: 'The names of the numbers in features',
    features: 'The numbers describing the shown tip and your context, which the model learns from',
    context: 'Your context when choosing: local time and profile features',
    reaction: 'Your reaction: done, snooze or dismiss',
    reacted_at: 'When you reacted',
    settled_at: 'When the reward was fixed (your reaction, or the end of the reward window)',
    outcome: 'What the model learned from: done, snooze, dismiss or none',
    reward: 'The reward learned: done 1, snooze 0.25, dismiss and none 0',
  },
  learned_observations: {
    decision_id: 'The decision the model learned from',
    layout_version: 'The feature layout it was learned in',
    reward: 'The reward learned',
    outcome: 'done, snooze, dismiss or none',
    learned_at: 'When it was learned',
  },
  model_snapshot_users: {
    layout_version: 'The feature layout of this part of the model',
    version: 'The model version it belongs to',
    stats: 'Your personal part of the model: its learned statistics (binary, base64 in exports)',
  },
});
