/** GET /v1/instances/batch-query: paging, filters, project isolation, its validation codes. */
import type { TestEmulator } from '../support/emulator.js';
import { OTHER_TOKEN, TOKEN, expectHuaweiResponse, expectSchema, ids, instance, startHuawei } from './support.js';

const LIST = 'huawei/koophone/batch-query.response.json';
const ERROR = 'huawei/koophone/error.response.json';

describe('KooPhone ListInstances', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startHuawei([
      instance('a44uhlf7', { instance_name: 'phone-alpha', region: 'cn-south-1' }),
      instance('stopped1', { instance_name: 'phone-beta', running_status: 1 }),
      ...ids('bulk', 23).map((id) => instance(id, { instance_name: `bulk-${id}` })),
      instance('foreign1', { project_id: 'fedcba9876543210fedcba9876543210' }),
    ]);
  });
  afterEach(() => t.close());

  const list = async (query: string, token = TOKEN, headers: Record<string, string> = {}) => {
    const r = t.http.get(`/v1/instances/batch-query?${query}`).set('X-Auth-Token', token);
    for (const [k, v] of Object.entries(headers)) r.set(k, v);
    const res = await r;
    expectHuaweiResponse(t, res, LIST);
    return res;
  };

  test('returns the documented fields with defaults filled in, and no emulator bookkeeping', async () => {
    const res = await list('x-request-id=q1&page_no=1&page_size=1&instance_id=a44uhlf7');
    expect(res.status).toBe(200);
    expectSchema(t, LIST, res.body);
    expect(res.body.error_code).toBe('0');
    expect(res.body.data).toMatchObject({ page_no: 1, page_size: 1, total_count: 1 });
    expect(res.body.data.result[0]).toEqual({
      instance_id: 'a44uhlf7',
      instance_name: 'phone-alpha',
      region: 'cn-south-1',
      instance_sku: expect.any(String),
      frozen_status: 0,
      running_status: 2,
      login_status: 0,
      assign_status: 0,
      assign_user: '',
      billing_mode: '',
      project_id: '0123456789abcdef0123456789abcdef',
      project_name: 'cn-south-1',
      phone_id: 'a44uhlf7',
      member_name: '',
      account_name: '',
      region_name: '华南-广州',
      region_name_en: 'CN South-Guangzhou',
      backup_status: 0,
      backup_time: '',
      restore_status: 0,
      restore_time: '',
    });
  });

  test('pages through the project\'s own instances only', async () => {
    const pages = [];
    for (let page = 1; page <= 3; page++) {
      const res = await list(`x-request-id=q&page_no=${page}&page_size=10`);
      expectSchema(t, LIST, res.body);
      expect(res.body.data.total_count).toBe(25);
      pages.push(res.body.data.result.map((i: any) => i.instance_id));
    }
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(new Set(pages.flat()).size).toBe(25);
    expect(pages.flat()).not.toContain('foreign1');
    const beyond = await list('x-request-id=q&page_no=9&page_size=10');
    expect(beyond.body.data).toMatchObject({ result: [], total_count: 25 });
    const other = await list('x-request-id=q&page_no=1&page_size=10', OTHER_TOKEN);
    expect(other.body.data.result.map((i: any) => i.instance_id)).toEqual(['foreign1']);
  });

  test('instance_name matches a part of the name; instance_id matches exactly', async () => {
    const byName = await list('x-request-id=q&page_no=1&page_size=50&instance_name=phone-');
    expect(byName.body.data.result.map((i: any) => i.instance_id)).toEqual(['a44uhlf7', 'stopped1']);
    const byId = await list('x-request-id=q&page_no=1&page_size=50&instance_id=a44uhl');
    expect(byId.body.data.total_count).toBe(0);
  });

  test('x-request-id may come as the documented query parameter or as a header; without either it is 0002', async () => {
    expect((await list('page_no=1&page_size=5', TOKEN, { 'x-request-id': 'h' })).body.error_code).toBe('0');
    const res = await list('page_no=1&page_size=5');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ error_code: 'KOOPHONE.API.0002', error_msg: "missing request header 'x-request-id'." });
    expectSchema(t, ERROR, res.body);
  });

  test.each([
    ['no page_no', 'page_size=10'],
    ['no page_size', 'page_no=1'],
    ['page_no 0', 'page_no=0&page_size=10'],
    ['a text page_size', 'page_no=1&page_size=ten'],
    ['a negative page_size', 'page_no=1&page_size=-1'],
    ['page_size over 1000', 'page_no=1&page_size=1001'],
    ['a repeated page_no', 'page_no=1&page_no=2&page_size=10'],
    ['an unknown pool_scene_tag', 'page_no=1&page_size=10&pool_scene_tag=GAMES'],
  ])('%s is 1000', async (_name, query) => {
    const res = await list(`x-request-id=q&${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('KOOPHONE.API.1000');
    expectSchema(t, ERROR, res.body);
  });

  test('a badly formatted time is 5002; an end before the start is 5004', async () => {
    const bad = await list('x-request-id=q&page_no=1&page_size=10&query_start_time=2026-01-15T08:00:00Z');
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe('KOOPHONE.API.5002');
    expectSchema(t, ERROR, bad.body);
    const impossible = await list('x-request-id=q&page_no=1&page_size=10&query_start_time=2026-02-30%2008:00:00');
    expect(impossible.body.error_code).toBe('KOOPHONE.API.5002');
    const backwards = await list('x-request-id=q&page_no=1&page_size=10&query_start_time=2026-01-15%2008:00:00&query_end_time=2026-01-14%2008:00:00');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error_code).toBe('KOOPHONE.API.5004');
    expectSchema(t, ERROR, backwards.body);
    const fine = await list('x-request-id=q&page_no=1&page_size=10&query_start_time=2026-01-14%2008:00:00&query_end_time=2026-01-15%2008:00:00');
    expect(fine.body.error_code).toBe('0');
  });

  test('error_code/error_msg sit inside data (field table, Java SDK model) and at the top level by default', async () => {
    const res = await list('x-request-id=q&page_no=1&page_size=1');
    expectSchema(t, LIST, res.body);
    expect(res.body.data).toMatchObject({ error_code: '0', error_msg: 'ok' });
    expect(res.body).toMatchObject({ error_code: '0', error_msg: 'ok' });
  });

  test.each([
    ['data', { inData: true, top: false }],
    ['top', { inData: false, top: true }],
  ])('listCodesPlacement %s puts the codes only there', async (placement, where) => {
    await t.http.patch('/_emulator/settings').send({ 'huawei.koophone.listCodesPlacement': placement }).expect(200);
    const res = await list('x-request-id=q&page_no=1&page_size=1');
    expect(res.status).toBe(200);
    expectSchema(t, LIST, res.body);
    expect('error_code' in res.body.data).toBe(where.inData);
    expect('error_msg' in res.body.data).toBe(where.inData);
    expect('error_code' in res.body).toBe(where.top);
    expect('error_msg' in res.body).toBe(where.top);
    expect(res.body.data.result).toHaveLength(1);
  });

  test('an instance_id filter finds only the caller\'s own instance', async () => {
    const own = await list('x-request-id=q&page_no=1&page_size=10&instance_id=bulk0003');
    expect(own.body.data.result.map((i: any) => i.instance_id)).toEqual(['bulk0003']);
    expect(own.body.data.total_count).toBe(1);
    const foreign = await list('x-request-id=q&page_no=1&page_size=10&instance_id=foreign1');
    expect(foreign.body.data).toMatchObject({ result: [], total_count: 0 });
    const mismatched = await list('x-request-id=q&page_no=1&page_size=10&instance_id=bulk0003&instance_name=phone-');
    expect(mismatched.body.data.total_count).toBe(0);
    const secondPage = await list('x-request-id=q&page_no=2&page_size=1&instance_id=bulk0003');
    expect(secondPage.body.data).toMatchObject({ result: [], total_count: 1 });
  });

  test('pages keep store order under a name filter', async () => {
    const page2 = await list('x-request-id=q&page_no=2&page_size=5&instance_name=bulk-');
    expect(page2.body.data.total_count).toBe(23);
    expect(page2.body.data.result.map((i: any) => i.instance_id)).toEqual(ids('bulk', 10).slice(5));
  });

  test('an x-request-id query value that cannot be a header is still served, with a gateway id', async () => {
    for (const value of ['%0A', '%E2%82%AC', 'a%0D%0Ab']) {
      const res = await list(`x-request-id=${value}&page_no=1&page_size=1`);
      expect(res.status).toBe(200);
      expect(res.body.error_code).toBe('0');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  test('an injected fault on ListInstances is 500 9999', async () => {
    await t.http.post('/_emulator/faults').send({ provider: 'huawei', operation: 'ListInstances', count: 1 }).expect(201);
    const res = await list('x-request-id=q&page_no=1&page_size=1');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error_code: 'KOOPHONE.API.9999', error_msg: 'Internal service error.' });
  });
});
