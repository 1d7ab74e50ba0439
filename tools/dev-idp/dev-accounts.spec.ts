import { devAccountFor } from './dev-accounts';

describe('devAccountFor', () => {
  it('derives subject and e-mail from the name', () => {
    expect(devAccountFor('  Ada   Lovelace ')).toEqual({ sub: 'dev-ada-lovelace', email: 'ada-lovelace@dev.oo.local', name: 'Ada Lovelace' });
  });

  it('is the same person whatever the case or accents', () => {
    expect(devAccountFor('ÉMILE').sub).toBe(devAccountFor('emile').sub);
  });

  it('gives names without latin letters a stable subject of their own', () => {
    const a = devAccountFor('李雷');
    expect(a.sub).toMatch(/^dev-u-[0-9a-f]{12}$/);
    expect(devAccountFor('李雷').sub).toBe(a.sub);
    expect(devAccountFor('韩梅梅').sub).not.toBe(a.sub);
  });
});
