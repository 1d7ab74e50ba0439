import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProfileHarness, type ProfileHarness } from './support/profile-harness';

// docs/profile-feature-registry.json is what ml and data scientists read instead of the TypeScript.
const DOCUMENT = join(__dirname, '../../../docs/profile-feature-registry.json');

describe('the language-neutral registry', () => {
  let h: ProfileHarness;
  beforeAll(async () => {
    h = await startProfileHarness({ label: 'profile-registry' });
  });
  afterAll(() => h.stop());

  it('is served at GET /v1/registry without a token and agrees with the committed document', async () => {
    const res = await fetch(`${h.baseUrl}/v1/registry`);
    expect(res.status).toBe(200);
    const served = (await res.json()) as { features: { name: string }[] };
    const committed = JSON.parse(readFileSync(DOCUMENT, 'utf8'));
    // On a registry change, regenerate with: curl localhost:8082/v1/registry > docs/profile-feature-registry.json
    expect(served).toEqual(committed);
    expect(served.features.map((f) => f.name)).toEqual([
      'completion_rate_30d',
      'dismiss_rate_30d',
      'mean_dwell_ms_30d',
      'preferred_hour',
      'tip_volume_30d',
      'favourite_tip_kind_30d',
    ]);
  });
});
