import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { createJwtVerifier } from '@oo/http';
import { createTokenSigner, DevAuthKeyError, readDevAuthKey } from './dev-auth-key';

describe('the dev signing key', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oo-auth-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('signs user access tokens the services accept: ES256, sub, iss, aud oo, token_use access, no roles', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const path = join(dir, 'dev-auth.json');
    await writeFile(path, JSON.stringify({ issuer: 'urn:oo:dev-start', kid: 'dev-start', privateJwk: await exportJWK(privateKey) }));

    const sign = await createTokenSigner(await readDevAuthKey(path));
    const { payload, protectedHeader } = await jwtVerify(await sign('sim-r-u1'), publicKey, { issuer: 'urn:oo:dev-start', audience: 'oo' });

    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: 'dev-start' });
    expect(payload).toMatchObject({ sub: 'sim-r-u1', roles: [], token_use: 'access' });
    expect(payload.exp).toBeGreaterThan(payload.iat as number);
    const verifier = createJwtVerifier({ issuer: 'urn:oo:dev-start', jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'dev-start', alg: 'ES256' }] } });
    expect(await verifier.verify(await sign('sim-r-u1'))).toEqual({ userId: 'sim-r-u1', roles: [], isAdmin: false });
  });

  it('explains a missing file, a file that is not JSON and one without a private key', async () => {
    await expect(readDevAuthKey(join(dir, 'nope.json'))).rejects.toThrow(/cannot read the dev signing key .*npm start writes it/);
    const notJson = join(dir, 'not.json');
    await writeFile(notJson, 'kid=1');
    await expect(readDevAuthKey(notJson)).rejects.toThrow(DevAuthKeyError);
    const publicOnly = join(dir, 'public.json');
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    await writeFile(publicOnly, JSON.stringify({ issuer: 'i', kid: 'k', privateJwk: await exportJWK(publicKey) }));
    await expect(readDevAuthKey(publicOnly)).rejects.toThrow(/privateJwk\.d/);
  });
});
