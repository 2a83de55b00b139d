// What the benchmark seeds and what it sends. Every request is one a real client would send; the
// signed Alibaba request is signed once and replayed (the default mode does not track nonces).
import { createHash, createHmac } from 'node:crypto';

const PROJECT = '0123456789abcdef0123456789abcdef';
const TOKEN = 'bench-token';
const AK = 'LTAI5tBENCHACCESSKEY001';
const SECRET = 'BenchAccessKeySecret0000000000001';
const ACCOUNT = '1234567890123456';
const ECE_KEY = 'bench-ece-api-key';

const pad = (i, w = 8) => String(i).padStart(w, '0');
export const phoneId = (i) => `ph${pad(i)}`;
export const groupId = (i) => `eci-bench${pad(i, 14)}`;
export const deploymentId = (i) => createHash('md5').update(`deployment-${i}`).digest('hex');
export const kibanaRef = (i) => createHash('md5').update(`kibana-${i}`).digest('hex');

/**
 * The seed for a run: N resources of each provider named in `kinds` (all by default), in the
 * providers' own shapes (defaults filled in by the emulator), and every provider's credentials.
 */
export function seedDocument(n, kinds = ['huawei', 'alibaba', 'elastic']) {
  const doc = fullDocument(n);
  if (!kinds.includes('huawei')) doc.huawei.koophone.instances = [];
  if (!kinds.includes('alibaba')) doc.alibaba.eci.containerGroups = [];
  if (!kinds.includes('elastic')) doc.elastic.deployments = [];
  return doc;
}

function fullDocument(n) {
  return {
    huawei: {
      tokens: [{ token: TOKEN, projectId: PROJECT }],
      koophone: { instances: Array.from({ length: n }, (_, i) => ({ instance_id: phoneId(i), instance_name: `bench-${i}`, project_id: PROJECT, running_status: 2 })) },
    },
    alibaba: {
      accessKeys: [{ AccessKeyId: AK, AccessKeySecret: SECRET, AccountId: ACCOUNT }],
      eci: {
        containerGroups: Array.from({ length: n }, (_, i) => ({
          ContainerGroupId: groupId(i),
          ContainerGroupName: `bench-${i}`,
          RegionId: 'cn-hangzhou',
          Status: 'Running',
          CreationTime: '2026-01-01T00:00:00Z',
          Tags: [{ Key: 'bench', Value: String(i % 10) }],
          _emulator: { accountId: ACCOUNT },
        })),
      },
    },
    elastic: {
      apiKeys: [{ key: ECE_KEY, role: 'platform_admin' }],
      deployments: Array.from({ length: n }, (_, i) => ({
        id: deploymentId(i),
        name: `bench-${i}`,
        resources: { kibana: [{ ref_id: kibanaRef(i), info: { status: 'started' } }] },
      })),
    },
  };
}

const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** An ACS3-HMAC-SHA256 signed POST /?query with an empty body, as the generated SDKs send it. */
function acs3Request(action, version, query) {
  const headers = {
    host: 'bench.local',
    'x-acs-action': action,
    'x-acs-content-sha256': createHash('sha256').update('').digest('hex'),
    'x-acs-date': new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    'x-acs-signature-nonce': createHash('md5').update(String(Math.random())).digest('hex'),
    'x-acs-version': version,
  };
  const names = Object.keys(headers).sort();
  const cq = Object.keys(query).sort().map((k) => `${enc(k)}=${enc(query[k])}`).join('&');
  const canonical = ['POST', '/', cq, names.map((h) => `${h}:${headers[h]}\n`).join(''), names.join(';'), headers['x-acs-content-sha256']].join('\n');
  const sts = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`;
  const sig = createHmac('sha256', SECRET).update(sts).digest('hex');
  return {
    method: 'POST',
    path: `/?${cq}`,
    headers: { ...headers, authorization: `ACS3-HMAC-SHA256 Credential=${AK},SignedHeaders=${names.join(';')},Signature=${sig}` },
  };
}

/** Rotates through all N resources, so a large store is touched everywhere, not in one corner. */
function rotating(n, make) {
  let k = 0;
  return [{ ...make(0), setupRequest: (req) => ({ ...req, ...make(k++ % n) }) }];
}

export const SCENARIOS = [
  {
    name: 'koophone-reboot (durable write)',
    seeds: 'huawei',
    requests: (n) =>
      rotating(n, (i) => ({
        method: 'POST',
        path: '/v1/instances/reboot',
        headers: { 'content-type': 'application/json', 'x-auth-token': TOKEN, 'x-request-id': 'bench' },
        body: JSON.stringify({ instance_ids: [phoneId(i)] }),
      })),
  },
  {
    name: 'koophone-batch-query-status (read)',
    seeds: 'huawei',
    requests: (n) =>
      rotating(n, (i) => ({
        method: 'POST',
        path: '/v1/instances/batch-query-status',
        headers: { 'content-type': 'application/json', 'x-auth-token': TOKEN, 'x-request-id': 'bench' },
        body: JSON.stringify({ instance_ids: Array.from({ length: 10 }, (_, j) => phoneId((i + j) % n)) }),
      })),
  },
  {
    name: 'eci-DescribeContainerGroups (ACS3 signed)',
    seeds: 'alibaba',
    requests: () => [acs3Request('DescribeContainerGroups', '2018-08-08', { RegionId: 'cn-hangzhou', ContainerGroupIds: JSON.stringify([groupId(0)]) })],
  },
  {
    name: 'ece-restart (durable write)',
    seeds: 'elastic',
    requests: (n) =>
      rotating(n, (i) => ({
        method: 'POST',
        path: `/api/v1/deployments/${deploymentId(i)}/kibana/${kibanaRef(i)}/_restart`,
        headers: { authorization: `ApiKey ${ECE_KEY}` },
      })),
  },
];
