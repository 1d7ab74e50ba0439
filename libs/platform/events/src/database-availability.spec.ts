import { runInNewContext } from 'node:vm';
import { createDatabaseGate, isDatabaseUnavailable } from './database-availability';
import { EventsError, PermanentEventError } from './errors';
import { silentLogger } from './event-bus.types';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['connection refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset socket', withCode('ECONNRESET')],
    ['SQLSTATE 08006 connection failure', withCode('08006')],
    ['SQLSTATE 08001 cannot connect', withCode('08001')],
    ['admin shutdown 57P01', withCode('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown 57P02', withCode('57P02')],
    ['starting up 57P03', withCode('57P03', 'the database system is starting up')],
    ['a terminated connection', new Error('Connection terminated unexpectedly')],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a broken client', new Error('Client has encountered a connection error and is not queryable')],
    ['a dial to every address failing', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], '')],
    ['a socket error from another realm', Object.assign(runInNewContext('new Error("connect ECONNREFUSED")') as object, { code: 'ECONNREFUSED' })],
    ['a wrapped outage', new EventsError('EVENTS_PUBLISH_FAILED', 'write failed', { cause: withCode('57P01') })],
  ])('says yes for %s', (_label, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505', 'duplicate key value violates unique constraint')],
    ['a syntax error', withCode('42601')],
    ['a serialization failure', withCode('40001')],
    ['a handler error', new Error('cannot digest poison')],
    ['a permanent failure', new PermanentEventError('invalid')],
    ['a thrown string', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('says no for %s', (_label, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

describe('createDatabaseGate', () => {
  it('opens for its waiters once a probe answers, and a stop releases a waiter with false', async () => {
    let answers = false;
    const gate = createDatabaseGate(async () => {
      if (!answers) throw withCode('ECONNREFUSED');
    }, { log: silentLogger, durable: 'test__gate', probePausesMs: [5] });
    expect(gate.available).toBe(true);

    expect(await gate.confirmUnavailable(withCode('ECONNREFUSED'))).toBe(true);
    expect(gate.available).toBe(false);
    const stop = new AbortController();
    const released = gate.whenAvailable(stop.signal);
    stop.abort();
    expect(await released).toBe(false);

    const waiting = gate.whenAvailable(new AbortController().signal);
    answers = true;
    expect(await waiting).toBe(true);
    expect(gate.available).toBe(true);
    gate.close();
  });

  it('stays open when the database answers the confirming probe: the failure was the transaction\'s own', async () => {
    const gate = createDatabaseGate(async () => undefined, { log: silentLogger, durable: 'test__gate' });
    expect(await gate.confirmUnavailable(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(gate.available).toBe(true);
    gate.close();
  });
});
