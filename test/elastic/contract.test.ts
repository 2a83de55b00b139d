/**
 * The full restart flow, every response validated against our schemas (written from the ECE spec):
 * list → get → restart → observe the pending plan → 422 while pending → cancel → restart with
 * cancel_pending → settle with the manual clock → history.
 */
import type { TestEmulator } from '../support/emulator.js';
import { ACTIVITY, CANCEL, DEP, GET_DEPLOYMENT, KIBANA_INFO, LIST, RESTART, call, errorCode, restartPath, startElastic } from './support.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await startElastic();
});
afterAll(async () => {
  await t.close();
});

const kibana = (query = '?show_plan_logs=true&show_plan_history=true') => call(t, KIBANA_INFO, 'get', `/api/v1/deployments/${DEP}/kibana/main-kibana${query}`);

test('list → get → restart → pending → 422 → cancel → restart with cancel_pending → settle → history', async () => {
  const list = await call(t, LIST, 'get', '/api/v1/deployments');
  expect(list.status).toBe(200);
  const listed = list.body.deployments.find((d: any) => d.id === DEP);
  expect(listed.name).toBe('search-prod');
  expect(listed.resources.map((r: any) => r.kind).sort()).toEqual(['apm', 'appsearch', 'elasticsearch', 'enterprise_search', 'integrations_server', 'kibana']);
  for (const r of listed.resources) expect(r.id).toMatch(/^[0-9a-f]{32}$/);

  const get = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${DEP}`);
  expect(get.status).toBe(200);
  expect(get.headers['x-cloud-resource-version']).toBeDefined();
  expect(get.headers['x-cloud-resource-last-modified']).toBe('2026-01-15T08:00:00.000Z');
  const kib0 = get.body.resources.kibana[0];
  expect(kib0.info.status).toBe('started');
  expect(kib0.info.healthy).toBe(true);
  const firstAttempt = kib0.info.plan_info.current.plan_attempt_id;

  const restarted = await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'));
  expect(restarted.status).toBe(202);
  expect(restarted.body).toEqual({});

  const during = await kibana();
  const pending = during.body.info.plan_info.pending;
  expect(during.body.info.status).toBe('rebooting');
  expect(during.body.info.healthy).toBe(false);
  expect(during.body.info.plan_info.healthy).toBe(true);
  expect(pending.plan.transient.plan_configuration.cluster_reboot).toBe('forced');
  expect({ ...pending.plan, transient: undefined }).toEqual({ ...during.body.info.plan_info.current.plan, transient: undefined });
  expect(pending.plan_attempt_log.map((s: any) => s.step_id)).toEqual(['set-maintenance']);
  expect(pending.attempt_end_time).toBeUndefined();

  const conflict = await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'));
  expect(conflict.status).toBe(422);
  expect(errorCode(conflict)).toBe('deployments.deployment_resource_plan_change_error');
  const explicitFalse = await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana', '?cancel_pending=false'));
  expect(explicitFalse.status).toBe(422);

  const cancelled = await call(t, CANCEL, 'delete', `/api/v1/deployments/${DEP}/kibana/main-kibana/plan/pending`);
  expect(cancelled.status).toBe(200);
  expect(cancelled.body).toEqual({ id: DEP, kind: 'kibana', ref_id: 'main-kibana' });
  const afterCancel = await kibana();
  expect(afterCancel.body.info.plan_info.pending).toBeUndefined();
  expect(afterCancel.body.info.status).toBe('started');
  expect(afterCancel.body.info.plan_info.history.at(-1).plan_attempt_id).toBe(pending.plan_attempt_id);
  expect(afterCancel.body.info.plan_info.history.at(-1).healthy).toBe(false);

  // A pending plan again, then a restart that cancels it on the way.
  expect((await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'))).status).toBe(202);
  const second = (await kibana()).body.info.plan_info.pending;
  const replaced = await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana', '?cancel_pending=true'));
  expect(replaced.status).toBe(202);
  const third = (await kibana()).body.info;
  expect(third.plan_info.pending.plan_attempt_id).not.toBe(second.plan_attempt_id);
  expect(third.plan_info.history.map((h: any) => h.plan_attempt_id)).toContain(second.plan_attempt_id);
  expect(third.status).toBe('rebooting');

  // Halfway through, the log shows progress; at the configured duration (3 s) the plan is current.
  await t.advance(1500);
  const mid = (await kibana()).body.info;
  expect(mid.status).toBe('rebooting');
  expect(mid.plan_info.pending.plan_attempt_log.length).toBeGreaterThan(1);
  await t.advance(1500);
  const done = (await kibana()).body.info;
  expect(done.status).toBe('started');
  expect(done.healthy).toBe(true);
  expect(done.topology.instances.every((i: any) => i.healthy && i.service_running)).toBe(true);
  expect(done.plan_info.pending).toBeUndefined();
  expect(done.plan_info.current.plan_attempt_id).toBe(third.plan_info.pending.plan_attempt_id);
  expect(done.plan_info.current.attempt_end_time).toBe('2026-01-15T08:00:03.000Z');
  const log = done.plan_info.current.plan_attempt_log;
  expect(log.at(-1)).toMatchObject({ step_id: 'plan-completed', status: 'success', stage: 'completed' });
  expect(log.map((s: any) => s.step_id)).toEqual(['set-maintenance', 'wait-until-stopped', 'wait-until-running', 'plan-completed']);
  expect(done.plan_info.history.map((h: any) => h.plan_attempt_id)).toEqual([pending.plan_attempt_id, second.plan_attempt_id, firstAttempt]);

  // Without the flags, logs and history are left out.
  const plain = (await kibana('')).body.info.plan_info;
  expect(plain.history).toEqual([]);
  expect(plain.current.plan_attempt_log).toEqual([]);

  const activity = await call(t, ACTIVITY, 'get', `/api/v1/deployments/${DEP}/kibana/main-kibana/activity/${done.plan_info.current.plan_attempt_id}`);
  expect(activity.status).toBe(200);
  expect(activity.body.plan_attempt_log.at(-1).step_id).toBe('plan-completed');

  const deployment = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${DEP}?show_plan_history=true`);
  expect(deployment.body.resources.kibana[0].info.plan_info.history).toHaveLength(3);
  expect(Number(deployment.headers['x-cloud-resource-version'])).toBeGreaterThan(Number(get.headers['x-cloud-resource-version']));
});
