/**
 * Every code of the error catalogue is reached through HTTP in one run (so a new code without a
 * path to it fails here), every response passes its contract, and the state document stays valid.
 */
import { errors } from '../../src/providers/elastic/errors.js';
import { expectMatchesSchema } from '../support/schema-check.js';
import { ACTIVITY, CANCEL, DEP, DEP2, GET_DEPLOYMENT, KIBANA_INFO, MISSING, NO_ROUTE, RESTART, SUDO, VIEWER, call, restartPath, startElastic } from './support.js';

function catalogueCodes(): Set<string> {
  return new Set(Object.values(errors).map((factory) => `${factory.status} ${factory.code}`));
}

test('every catalogue code is reachable', async () => {
  const t = await startElastic();
  const seen = new Set<string>();
  const hit = async (...args: Parameters<typeof call>) => {
    const res = await call(...args);
    if (res.status >= 400) seen.add(`${res.status} ${res.body.errors[0].code}`);
    return res;
  };
  try {
    await t.seed({ elastic: { deployments: [{ id: 'c0ffee00c0ffee00c0ffee00c0ffee00', resources: { kibana: [{ ref_id: 'k', info: { status: 'stopped', plan_info: { current: { healthy: false } } } }] } }] } });
    await hit(t, NO_ROUTE, 'get', '/api/v1/nope');
    await hit(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana', '?cancel_pending=x'));
    await hit(t, 'login', 'post', '/api/v1/users/auth/_login', {}, '{');
    await hit(t, NO_ROUTE, 'post', '/api/v1/users/auth/_login', {}, JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }));
    await hit(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'), {});
    await hit(t, 'login', 'post', '/api/v1/users/auth/_login', {}, { username: 'admin', password: 'no' });
    await hit(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'), VIEWER);
    await hit(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'), SUDO);
    await hit(t, 'elevate-permissions', 'post', '/api/v1/users/auth/_elevate', SUDO, {});
    await hit(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${MISSING}`);
    await hit(t, KIBANA_INFO, 'get', `/api/v1/deployments/${DEP}/kibana/nope`);
    await hit(t, RESTART, 'post', restartPath(DEP2, 'kibana', 'kibana-a'));
    await hit(t, RESTART, 'post', restartPath('c0ffee00c0ffee00c0ffee00c0ffee00', 'kibana', 'k'));
    await hit(t, RESTART, 'post', restartPath(DEP, 'appsearch', 'main-appsearch'));
    await hit(t, CANCEL, 'delete', `/api/v1/deployments/${DEP}/kibana/main-kibana/plan/pending`);
    await hit(t, ACTIVITY, 'get', `/api/v1/deployments/${DEP}/kibana/main-kibana/activity/none`);
    await hit(t, 'stop-deployment-resource-instances', 'post', `/api/v1/deployments/${DEP}/kibana/main-kibana/instances/instance-9999999999/_stop`);
    await hit(t, 'stop-deployment-resource-instances-all', 'post', `/api/v1/deployments/${DEP2}/kibana/kibana-a/instances/_stop`);
    await t.http.post('/_emulator/faults').send({ provider: 'elastic', operation: RESTART, count: 1 }).expect(201);
    await hit(t, NO_ROUTE, 'post', restartPath(DEP, 'kibana', 'main-kibana'));
    await t.http.post('/_emulator/faults').send({ provider: 'elastic', operation: RESTART, throttle: true, count: 1 }).expect(201);
    await hit(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'));
    expect([...seen].sort()).toEqual([...catalogueCodes()].sort());

    const state = await t.state();
    expectMatchesSchema('state.schema.json', state);
  } finally {
    await t.close();
  }
});
