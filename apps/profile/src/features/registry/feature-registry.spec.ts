import { isSubject } from '@oo/contracts';
import { defineFeature } from './feature-definition';
import { FeatureRegistry } from './feature-registry';
import { initialFeatures } from './initial-features';

const isKnown = (s: string): boolean => isSubject(s) || s === 'profile.preferences.updated';

const numeric = (name: string, invalidatedBy: string[] = ['signals.tip.feedback']) =>
  defineFeature({ name, dtype: 'numeric', ttlSec: 60, description: 'd', invalidatedBy, fallback: 0, compute: async () => 1 });

describe('FeatureRegistry', () => {
  it('stops with a message naming the feature and the subject when a subject is misspelt', () => {
    expect(() => new FeatureRegistry([numeric('ok'), numeric('typo_feature', ['signals.tip.feedbak'])], isKnown)).toThrow(
      expect.objectContaining({ code: 'PROFILE_UNKNOWN_SUBJECT', message: expect.stringMatching(/typo_feature.*signals\.tip\.feedbak/) }),
    );
  });

  it('rejects duplicate names and a fallback of the wrong dtype', () => {
    expect(() => new FeatureRegistry([numeric('a_x'), numeric('a_x')], isKnown)).toThrow(/a_x: declared twice/);
    const wrong = { ...numeric('b_x'), fallback: 'zero' } as unknown as ReturnType<typeof numeric>;
    expect(() => new FeatureRegistry([wrong], isKnown)).toThrow(/numeric fallback/);
  });

  it('changes version when names or dtypes change, not when order or TTLs do', () => {
    const base = new FeatureRegistry([numeric('a_x'), numeric('b_x')], isKnown).version;
    expect(new FeatureRegistry([numeric('b_x'), { ...numeric('a_x'), ttlSec: 5 }], isKnown).version).toBe(base);
    expect(new FeatureRegistry([numeric('a_x')], isKnown).version).not.toBe(base);
    const categorical = defineFeature({ ...numeric('b_x'), dtype: 'categorical', fallback: 'none', compute: async () => 'x' });
    expect(new FeatureRegistry([numeric('a_x'), categorical], isKnown).version).not.toBe(base);
  });

  it('maps each subject to the features it invalidates', () => {
    const registry = new FeatureRegistry(initialFeatures, isKnown);
    expect(registry.subjects().sort()).toEqual(['profile.preferences.updated', 'signals.tip.feedback', 'signals.tip.served']);
    expect(registry.invalidatedBy('signals.tip.served')).toEqual(['tip_volume_30d']);
    expect(registry.invalidatedBy('signals.tip.feedback')).toContain('completion_rate_30d');
  });
});
