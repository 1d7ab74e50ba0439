import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** ml-serving's own series, registered on the app's registry next to the HTTP and events metrics. */
export interface MlMetrics {
  scoreDuration: Histogram;
  decisionsLearned: Counter<'outcome'>;
  lateFeedback: Counter;
  modelObservations: Gauge;
  modelReloads: Counter<'reason'>;
}

// The score target is a 3 ms p99, so the buckets are fine below it.
const SCORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.01, 0.025, 0.1];

/**
 * Creates the service metrics on `registry`.
 *
 * @example
 * const ml = createMlMetrics(http.registry);
 * ml.lateFeedback.inc();
 */
export function createMlMetrics(registry: Registry): MlMetrics {
  const registers = [registry];
  return {
    scoreDuration: new Histogram({
      name: 'ml_score_duration_seconds',
      help: 'Time to featurize and score one request under all its policies (in process, without HTTP)',
      buckets: SCORE_BUCKETS,
      registers,
    }),
    decisionsLearned: new Counter({
      name: 'ml_decisions_learned_total',
      help: 'Settled decisions this instance applied to its model, by outcome (done, snooze, dismiss, none)',
      labelNames: ['outcome'],
      registers,
    }),
    lateFeedback: new Counter({
      name: 'ml_late_feedback_total',
      help: 'Feedback that arrived after its decision was settled and was ignored',
      registers,
    }),
    modelObservations: new Gauge({
      name: 'ml_model_observations',
      help: 'Sequence number of the last observation applied to this instance\'s model',
      registers,
    }),
    modelReloads: new Counter({
      name: 'ml_model_reloads_total',
      help: 'Times the model was (re)loaded from a snapshot, by reason',
      labelNames: ['reason'],
      registers,
    }),
  };
}
