import { UsageError } from '../cli/cli-args';
import { parseSimulateArgs } from './simulate-args';

describe('simulate arguments', () => {
  it('defaults to 2000 decisions, 40 users, windows of 200 and the local services', () => {
    expect(parseSimulateArgs([])).toEqual({
      help: false,
      decisions: 2000,
      users: 40,
      window: 200,
      seed: 1,
      concurrency: 1,
      recommenderUrl: 'http://localhost:8084',
      profileUrl: 'http://localhost:8082',
      gatewayUrl: 'http://localhost:8080',
      runId: undefined,
      syncTimeoutMs: 30_000,
      json: false,
      progress: undefined,
    });
  });

  it('reads every option', () => {
    const args = parseSimulateArgs([
      '--decisions', '500', '--users', '8', '--window', '50', '--seed', '7', '--concurrency', '4',
      '--recommender', 'http://127.0.0.1:9000/', '--profile', 'https://p.example', '--gateway', 'http://127.0.0.1:18080/',
      '--run-id', 'exp_1', '--sync-timeout', '5s', '--json', '--progress',
    ]);
    expect(args).toEqual({
      help: false, decisions: 500, users: 8, window: 50, seed: 7, concurrency: 4,
      recommenderUrl: 'http://127.0.0.1:9000', profileUrl: 'https://p.example', gatewayUrl: 'http://127.0.0.1:18080',
      runId: 'exp_1', syncTimeoutMs: 5_000, json: true, progress: true,
    });
  });

  it.each([
    [['--decisions', '0'], /--decisions must be an integer between 1/],
    [['--users', 'many'], /--users must be an integer/],
    [['--concurrency', '100'], /--concurrency must be an integer between 1 and 64/],
    [['--recommender', 'ftp://x'], /--recommender must be an http\(s\) URL/],
    [['--gateway', 'localhost:8080'], /--gateway must be an http\(s\) URL/],
    [['--auth-key', '.oo/dev-auth.json'], /Unknown option '--auth-key'/],
    [['--run-id', 'has space'], /--run-id/],
    [['--sync-timeout', 'forever'], /--sync-timeout must be a duration/],
    [['--decisons', '5'], /Unknown option '--decisons'/],
  ])('rejects %j with a usage error', (argv, message) => {
    expect(() => parseSimulateArgs(argv)).toThrow(UsageError);
    expect(() => parseSimulateArgs(argv)).toThrow(message);
  });
});
