// `npm run token -- <name>`: signs <name> in at the local identity provider through the running
// gateway (OO_GATEWAY_URL, default http://localhost:8080) the way a native app does, and prints
// the access token (10 minutes) and the refresh token, for curl and scripts.
import { signInDevUser } from '../system/dev-sign-in';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name) throw new Error('usage: npm run token -- <name>   (any name; "admin" is an admin)');
  const gateway = process.env['OO_GATEWAY_URL'] || 'http://localhost:8080';
  const session = await signInDevUser(gateway, name);
  console.log(`# ${name} is user ${session.userId}; the access token expires at ${session.expiresAt.toISOString()}`);
  console.log(`export TOKEN=${session.accessToken}`);
  console.log(`export REFRESH_TOKEN=${session.refreshToken}`);
  console.log(`# curl -H "authorization: Bearer $TOKEN" ${gateway}/v1/me`);
}

main().catch((err: unknown) => {
  console.error(`npm run token: ${err instanceof Error ? err.message : String(err)}`);
  console.error('Is `npm start` running, with the local identity provider?');
  process.exitCode = 1;
});
