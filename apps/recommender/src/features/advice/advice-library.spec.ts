import { ADVICE_KINDS, adviceFeatures } from '@oo/decision-features';
import { RecommenderError } from '../../errors';
import library from './advice-library.v1.json';
import { applicableAdvice, defaultAdviceLibrary, loadAdviceLibrary } from './advice-library';

const item = (id: string, appliesWhen: Record<string, unknown>, kind = 'break') => ({ id, kind, title: 'Title', body: 'Body', tags: [], appliesWhen });

describe('advice library', () => {
  it('ships a valid library covering every advice kind, with features per item', () => {
    const shipped = defaultAdviceLibrary();
    expect(shipped.version).toBe('advice-v1');
    expect(shipped.items.length).toBeGreaterThanOrEqual(10);
    expect(new Set(shipped.items.map((i) => i.kind))).toEqual(new Set(ADVICE_KINDS));
    expect(shipped.features.get('stretch-break')).toEqual(adviceFeatures('break'));
  });

  it('refuses a bad library, naming every problem and where it is', () => {
    const bad = { ...library, items: [...library.items.slice(0, 2), item('morning-plan', { hours: [9, 9] }, 'nap')] };
    let error: unknown;
    try {
      loadAdviceLibrary(bad, 'advice-library.v9.json');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RecommenderError);
    expect(error).toMatchObject({ code: 'RECOMMENDER_INVALID_ADVICE_LIBRARY' });
    const message = (error as Error).message;
    expect(message).toContain('advice-library.v9.json is invalid');
    expect(message).toMatch(/items\.2\.kind/);
    expect(message).toMatch(/items\.2\.appliesWhen\.hours: from and to must differ/);
    expect(message).toMatch(/items: ids must be unique/);
  });

  it('rejects unknown fields rather than ignoring a typo', () => {
    expect(() => loadAdviceLibrary({ version: 'advice-v2', items: [item('a', { hour: [1, 2] })] })).toThrow(/items\.0\.appliesWhen/);
  });

  it('applies items by local hour, [from, to) and across midnight, and by weekday', () => {
    const lib = loadAdviceLibrary({
      version: 'advice-v2',
      items: [item('day', { hours: [9, 17] }), item('night', { hours: [22, 6] }), item('weekend', { weekdays: ['sat', 'sun'] }), item('always', {})],
    });
    const ids = (hour: number, weekday: number) => applicableAdvice(lib, hour, weekday).map((i) => i.id);
    expect(ids(9, 1)).toEqual(['day', 'always']);
    expect(ids(17, 1)).toEqual(['always']);
    expect(ids(23, 1)).toEqual(['night', 'always']);
    expect(ids(5, 6)).toEqual(['night', 'weekend', 'always']);
    expect(ids(6, 0)).toEqual(['weekend', 'always']);
  });
});
