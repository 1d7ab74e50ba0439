import { Matrix, solve } from 'ml-matrix';
import { createLayout } from '../features/feature-layout';
import { createRng } from '../random/seeded-rng';
import { createModel, forgetUser, modelVersion, updateModel } from './bandit-model';
import { globalTheta, predict } from './model-prediction';
import { at, must } from '../../test/strict-access.helper';

const d = 6;
const layout = createLayout(['bias', 'cand.a', 'cand.b', 'ctx.c', 'cand.a*ctx.c', 'cand.b*ctx.c']);

function randomData(seed: string, n: number) {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const x = [1, ...Array.from({ length: d - 1 }, () => rng.normal())];
    return { x, r: at(x, 1) * 0.5 - at(x, 2) * 0.2 + 0.1 * rng.normal(), user: `u${rng.int(3)}` };
  });
}

// Direct ridge solution (λI + XᵀX)⁻¹Xᵀr with ml-matrix, for comparison.
function directRidge(xs: number[][], rs: number[], lambda: number) {
  const X = new Matrix(xs);
  const A = X.transpose().mmul(X).add(Matrix.eye(at(xs, 0).length).mul(lambda));
  const y = Matrix.columnVector(rs);
  return solve(A, X.transpose().mmul(y)).to1DArray();
}
const dotN = (a: readonly number[], b: ArrayLike<number>) => a.reduce((s, v, i) => s + v * (b[i] as number), 0);

describe('hierarchical ridge model', () => {
  const data = randomData('model', 300);

  it('learns the ridge solution of the global model by rank-one steps', () => {
    const model = createModel(layout, { lambda: 2, personal: [] });
    for (const o of data) updateModel(model, { features: o.x, reward: o.r });
    const expected = directRidge(data.map((o) => o.x), data.map((o) => o.r), 2);
    Array.from(globalTheta(model.global)).forEach((v, i) => expect(v).toBeCloseTo(at(expected, i), 9));
    expect(model.version).toBe(300);
    expect(modelVersion(model)).toBe(`${layout.version}/300`);
  });

  it('gives a user the ridge fit of their residuals on the personal dimensions, against the current θ_g', () => {
    const personal = ['bias', 'cand.a'];
    const model = createModel(layout, { lambda: 1, userLambda: 3, personal });
    for (const o of data) updateModel(model, { userId: o.user, features: o.x, reward: o.r });
    const thetaG = Array.from(globalTheta(model.global));
    const mine = data.filter((o) => o.user === 'u1');
    // δ_u solves min Σ(r − x·θ_g − x_S·δ)² + λ_u|δ|²: regress the residuals on x_S.
    const residualDelta = solve(
      new Matrix(mine.map((o) => [at(o.x, 0), at(o.x, 1)])).transpose().mmul(new Matrix(mine.map((o) => [at(o.x, 0), at(o.x, 1)]))).add(Matrix.eye(2).mul(3)),
      new Matrix(mine.map((o) => [at(o.x, 0), at(o.x, 1)])).transpose().mmul(Matrix.columnVector(mine.map((o) => o.r - dotN(o.x, thetaG)))),
    ).to1DArray();
    const probe = [1, 0.3, -0.2, 0.5, 0.15, -0.1];
    const expectedMean = dotN(probe, thetaG) + at(probe, 0) * at(residualDelta, 0) + at(probe, 1) * at(residualDelta, 1);
    expect(predict(model, 'u1', [probe]).means[0]).toBeCloseTo(expectedMean, 9);
    // A user the model has never seen gets the population's prediction.
    expect(predict(model, 'stranger', [probe]).means[0]).toBeCloseTo(dotN(probe, thetaG), 12);
  });

  it('reduces to θ_u = (λ_u·I + Σ_u xxᵀ)⁻¹(λ_u·θ_g + b_u) when every dimension is personal', () => {
    const model = createModel(layout, { userLambda: 4, personal: 'all' });
    for (const o of data) updateModel(model, { userId: o.user, features: o.x, reward: o.r });
    const thetaG = Array.from(globalTheta(model.global));
    const mine = data.filter((o) => o.user === 'u2');
    const X = new Matrix(mine.map((o) => o.x));
    const P = X.transpose().mmul(X).add(Matrix.eye(d).mul(4));
    const rhs = X.transpose().mmul(Matrix.columnVector(mine.map((o) => o.r))).add(Matrix.columnVector(thetaG).mul(4));
    const thetaU = solve(P, rhs).to1DArray();
    const probe = [1, -1, 0.5, 0.2, -0.2, 0.1];
    expect(predict(model, 'u2', [probe]).means[0]).toBeCloseTo(dotN(probe, thetaU), 9);
  });

  it('computes the score covariance of the two-level model', () => {
    const model = createModel(layout, { userLambda: 5, personal: ['bias', 'cand.b', 'ctx.c'] });
    for (const o of data) updateModel(model, { userId: o.user, features: o.x, reward: o.r });
    const probes = [
      [1, 0.2, 0.1, 1, 0.2, 0.1],
      [1, -0.4, 0.9, 0, 0, 0],
      [1, 1, 1, 1, 1, 1],
    ];
    const user = must(model.users.get('u0'));
    const S = [0, 2, 3];
    const Pinv = new Matrix(Array.from({ length: 3 }, (_, i) => Array.from(user.aInv.subarray(i * 3, i * 3 + 3))));
    const M = new Matrix(Array.from({ length: 3 }, (_, i) => Array.from(user.cross.subarray(i * d, (i + 1) * d))));
    const Ainv = new Matrix(Array.from({ length: d }, (_, i) => Array.from(model.global.aInv.subarray(i * d, (i + 1) * d))));
    // s = gᵀθ_g + x_Sᵀδ with g = x − MᵀP⁻¹x_S, δ | θ_g ~ N(·, P⁻¹), θ_g ~ N(·, A⁻¹).
    const parts = probes.map((x) => {
      const xs = Matrix.columnVector(S.map((i) => at(x, i)));
      const g = Matrix.columnVector(x).sub(M.transpose().mmul(Pinv.mmul(xs)));
      return { xs, g };
    });
    const cov = predict(model, 'u0', probes).covariance();
    parts.forEach((pi, i) =>
      parts.forEach((pj, j) => {
        const expected = pi.xs.transpose().mmul(Pinv).mmul(pj.xs).get(0, 0) + pi.g.transpose().mmul(Ainv).mmul(pj.g).get(0, 0);
        expect(cov[i * 3 + j]).toBeCloseTo(expected, 10);
      }),
    );
    const widths = predict(model, 'u0', probes).widths();
    widths.forEach((w, i) => expect(w * w).toBeCloseTo(at(cov, i * 3 + i), 10));
  });

  it('shrinks uncertainty where there is data', () => {
    const model = createModel(layout);
    const probe = [[1, 1, 0, 0, 0, 0]];
    const before = at(predict(model, 'u0', probe).widths(), 0);
    for (let t = 0; t < 50; t++) updateModel(model, { userId: 'u0', features: at(probe, 0), reward: 1 });
    expect(at(predict(model, 'u0', probe).widths(), 0)).toBeLessThan(before / 3);
  });

  it('forgets a user on request and rejects malformed observations', () => {
    const model = createModel(layout);
    updateModel(model, { userId: 'gone', features: at(data, 0).x, reward: 1 });
    expect(forgetUser(model, 'gone')).toBe(true);
    expect(model.users.has('gone')).toBe(false);
    expect(forgetUser(model, 'gone')).toBe(false);
    expect(() => updateModel(model, { features: [1, 2], reward: 1 })).toThrow(expect.objectContaining({ code: 'BANDIT_DIMENSION_MISMATCH' }));
    expect(() => updateModel(model, { features: at(data, 0).x, reward: Number.NaN })).toThrow(expect.objectContaining({ code: 'BANDIT_INVALID_ARGUMENT' }));
    expect(() => createModel(layout, { lambda: 0 })).toThrow(/lambda/);
  });

  it('re-inverts periodically without changing the answer', () => {
    const refreshed = createModel(layout, { refreshEvery: 7 });
    const plain = createModel(layout, { refreshEvery: 0 });
    for (const o of data) {
      updateModel(refreshed, { userId: o.user, features: o.x, reward: o.r });
      updateModel(plain, { userId: o.user, features: o.x, reward: o.r });
    }
    const probe = [at(data, 5).x, at(data, 6).x];
    const a = predict(refreshed, 'u1', probe);
    const b = predict(plain, 'u1', probe);
    a.means.forEach((m, i) => expect(m).toBeCloseTo(at(b.means, i), 10));
    a.widths().forEach((w, i) => expect(w).toBeCloseTo(at(b.widths(), i), 10));
  });
});
