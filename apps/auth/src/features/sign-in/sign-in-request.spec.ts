import { HttpProblem } from '@oo/http';
import { isLoopbackRedirect, parseSignInRequest } from './sign-in-request';

describe('isLoopbackRedirect', () => {
  it.each(['http://127.0.0.1:51004/callback', 'http://[::1]:51004/cb', 'http://127.0.0.1:8000/cb?x=1'])('accepts %s', (uri) => {
    expect(isLoopbackRedirect(uri)).toBe(true);
  });
  it.each([
    'http://localhost:51004/callback',
    'https://127.0.0.1:51004/cb',
    'http://127.0.0.1/cb',
    'http://127.0.0.2:51004/cb',
    'http://user@127.0.0.1:51004/cb',
    'http://127.0.0.1:51004/cb#frag',
    'http://127.0.0.1.evil.example:51004/cb',
    'com.example.app:/cb',
    'not a url',
  ])('refuses %s', (uri) => {
    expect(isLoopbackRedirect(uri)).toBe(false);
  });
});

describe('parseSignInRequest', () => {
  const errorsOf = (body: unknown) => {
    try {
      parseSignInRequest(body, ['oo-native']);
    } catch (err) {
      expect(err).toBeInstanceOf(HttpProblem);
      return (err as HttpProblem).extra;
    }
    throw new Error('expected a refusal');
  };

  it('defaults a web sign-in to the site root', () => {
    expect(parseSignInRequest({ client: 'web' }, [])).toEqual({ client: 'web', returnTo: '/' });
  });

  it.each(['//evil.example', '/\\evil.example', '/\t/evil.example', 'https://evil.example/', 'relative'])('refuses returnTo %j', (returnTo) => {
    expect(errorsOf({ client: 'web', returnTo })).toEqual({ errors: [expect.objectContaining({ path: 'body.returnTo' })] });
  });

  it('names an unknown client and a redirect that is not loopback', () => {
    const body = { client: 'native', clientId: 'other', redirectUri: 'http://localhost:1/cb', codeChallenge: 'a'.repeat(43), codeChallengeMethod: 'S256' };
    expect(errorsOf(body)).toEqual({ errors: [expect.objectContaining({ path: 'body.clientId' }), expect.objectContaining({ path: 'body.redirectUri' })] });
  });
});
