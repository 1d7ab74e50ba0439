import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { IntegrationsError } from '../../errors';

// Addresses a feed URL must not reach in production: our own hosts, the cluster, link-local
// metadata services. A feed URL is user input the server fetches (SSRF).
const internal = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['224.0.0.0', 4]] as const) {
  internal.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['::ffff:0:0', 96]] as const) internal.addSubnet(net, bits, 'ipv6');

const rejected = (message: string) => new IntegrationsError('INTEGRATIONS_FEED_URL_REJECTED', message);

/** A calendar feed URL as we store it: `webcal:` read as https, credentials and fragments refused. */
export function normaliseFeedUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim().replace(/^webcals?:\/\//i, 'https://'));
  } catch {
    throw rejected('the feed URL is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw rejected('a calendar feed must be an http(s) or webcal URL');
  if (url.username || url.password) throw rejected('put no user name or password in the feed URL; use the secret address your calendar offers');
  url.hash = '';
  return url;
}

/**
 * Refuses a feed whose host resolves to an internal address, unless `allowPrivate` (development
 * and tests, whose stand-in servers listen on loopback). Checked when the feed is added and
 * before each fetch, since DNS answers change.
 *
 * @example
 * await assertFetchable(normaliseFeedUrl(body.url), config.ICS_ALLOW_PRIVATE_NETWORKS);
 */
export async function assertFetchable(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true }).catch(() => []);
  if (addresses.length === 0) throw rejected(`the feed's host ${host} does not resolve`);
  for (const { address, family } of addresses) {
    if (internal.check(address, family === 6 ? 'ipv6' : 'ipv4')) throw rejected(`the feed's host ${host} is an internal address`);
  }
}
