import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DeletionRequestedSchema } from '@oo/contracts';
import { startServiceHarness } from '@oo/service-testing';
import { eventually } from '@oo/testing';
import { integrationsService } from '../src/service';

const start = () => startServiceHarness(integrationsService, { label: 'integrations' });

// The real service on port 0 over a fresh schema and a private stream prefix: its one route and
// its one consumer, as a client and the deletion saga see them.
describe('integrations', () => {
  let h: Awaited<ReturnType<typeof start>>;
  const adaItem = randomUUID();
  const bobItem = randomUUID();

  const itemsOf = (userId: string) => h.db.selectFrom('items').select('item_id').where('user_id', '=', userId).execute();
  const deletionRequest = (userId: string, requestId: string) =>
    create(DeletionRequestedSchema, { userId, requestId, requestedAt: timestampFromDate(new Date()) });

  beforeAll(async () => {
    h = await start();
    await h.db
      .insertInto('items')
      .values([
        { item_id: adaItem, user_id: 'ada', title: 'Ada’s first item' },
        { item_id: bobItem, user_id: 'bob', title: 'Bob’s first item' },
      ])
      .execute();
  });
  afterAll(() => h?.stop());

  it('answers the owner with the item', async () => {
    const res = await h.call('GET', `/v1/integrations/items/${adaItem}`, 'ada');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: adaItem, title: 'Ada’s first item', createdAt: expect.any(String) });
    expect(res.headers.get('cache-control')).toBe('private, max-age=0');
  });

  it('answers 404 problem+json for an unknown item and for another user’s', async () => {
    for (const id of [randomUUID(), bobItem]) {
      const res = await h.call('GET', `/v1/integrations/items/${id}`, 'ada');
      expect(res.status).toBe(404);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, code: 'INTEGRATIONS_ITEM_NOT_FOUND' });
    }
  });

  it('answers 400 for an id that is not a UUID', async () => {
    const res = await h.call('GET', '/v1/integrations/items/not-a-uuid', 'ada');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'params.id' })] });
  });

  it('answers 401 without a token', async () => {
    const res = await h.call('GET', `/v1/integrations/items/${adaItem}`, null);
    expect(res.status).toBe(401);
    expect(res.type).toMatch(/^application\/problem\+json/);
  });

  it('erases the user’s rows on users.deletion.requested and publishes the receipt', async () => {
    await h.publish('users.deletion.requested', deletionRequest('bob', 'req-1'), 'bob', { source: 'auth' });
    const [receipt] = await eventually(async () => {
      const found = await h.eventsOn('users.deletion.receipt');
      return found.length > 0 ? found : undefined;
    }, 'the deletion receipt on the stream');
    expect(receipt?.headers['ce-source']).toBe('/services/integrations');
    expect(receipt?.message).toMatchObject({ userId: 'bob', requestId: 'req-1', service: 'integrations' });
    expect(await itemsOf('bob')).toEqual([]);
    expect(await itemsOf('ada')).toEqual([{ item_id: adaItem }]);
  });

  it('sends a receipt again when the deletion is requested again', async () => {
    await h.publish('users.deletion.requested', deletionRequest('bob', 'req-2'), 'bob', { source: 'auth' });
    const receipts = await eventually(async () => {
      const found = await h.eventsOn('users.deletion.receipt');
      return found.length > 1 ? found : undefined;
    }, 'a second receipt');
    expect(receipts.map((r) => r.message.requestId)).toEqual(['req-1', 'req-2']);
  });
});
