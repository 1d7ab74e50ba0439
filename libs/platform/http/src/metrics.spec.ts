import { Router } from 'express';
import { Counter } from 'prom-client';
import request from 'supertest';
import { captureLog } from '../test/capture-log';
import { createBaseApp, finishApp } from './base-app';
import { createMetrics } from './metrics';
import { Readiness } from './readiness';

function buildApp(metrics = createMetrics({ service: 'test' })) {
  const { log } = captureLog();
  const app = createBaseApp({ service: 'test', log, readiness: new Readiness(), metrics });
  const items = Router();
  items.get('/:id', (req, res) => {
    res.json({ id: req.params['id'] });
  });
  app.use('/v1/items', items);
  return { app: finishApp(app), metrics };
}

describe('/metrics', () => {
  it('exposes the request duration histogram by method, route template and status', async () => {
    const { app } = buildApp();
    await request(app).get('/v1/items/1').expect(200);
    await request(app).get('/v1/items/2').expect(200);
    await request(app).get('/v1/unknown/3').expect(404);
    const res = await request(app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{service="test",method="GET",route="\/v1\/items\/:id",status_code="200"\} 2/,
    );
    expect(res.text).toMatch(/http_request_duration_seconds_count\{service="test",method="GET",route="unmatched",status_code="404"\} 1/);
    expect(res.text).not.toContain('/v1/items/1');
  });

  it('includes default process metrics', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/metrics').expect(200);
    expect(res.text).toContain('process_cpu_seconds_total');
    expect(res.text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('keeps each app on its own registry, open to service metrics', async () => {
    const first = buildApp();
    const second = buildApp(createMetrics({ service: 'other', defaultMetrics: false }));
    const decisions = new Counter({ name: 'decisions_total', help: 'Decisions made', registers: [second.metrics.registry] });
    decisions.inc();
    await request(first.app).get('/v1/items/1').expect(200);
    const res = await request(second.app).get('/metrics').expect(200);
    expect(res.text).toContain('decisions_total{service="other"} 1');
    expect(res.text).not.toContain('route="/v1/items/:id"');
    expect(res.text).not.toContain('process_cpu_seconds_total');
  });
});
