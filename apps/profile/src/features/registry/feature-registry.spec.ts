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
    // A served tip deletes nothing: the features that read served tips fold it in place.
    expect(registry.invalidatedBy('signals.tip.served')).toEqual([]);
    expect(registry.maintainedBy('signals.tip.served').map((f) => f.name)).toEqual(['completion_rate_30d', 'dismiss_rate_30d', 'tip_volume_30d', 'favourite_tip_kind_30d']);
    expect(registry.invalidatedBy('signals.tip.feedback')).toEqual(['mean_dwell_ms_30d', 'preferred_hour', 'favourite_tip_kind_30d']);
  });

  it('refuses a maintained subject without onTipChange, or one both maintained and invalidating', () => {
    expect(() => new FeatureRegistry([{ ...numeric('m_x'), maintainedBy: ['signals.tip.served'] }], isKnown)).toThrow(/needs onTipChange/);
    const both = { ...numeric('n_x'), maintainedBy: ['signals.tip.feedback'], onTipChange: () => 'none' as const };
    expect(() => new FeatureRegistry([both], isKnown)).toThrow(/both invalidates and maintains/);
    expect(() => new FeatureRegistry([{ ...numeric('o_x'), maintainedBy: ['signals.tip.servd'], onTipChange: () => 'none' as const }], isKnown)).toThrow(
      expect.objectContaining({ code: 'PROFILE_UNKNOWN_SUBJECT' }),
    );
  });
});
