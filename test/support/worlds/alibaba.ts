/**
 * The Alibaba test world, shared by test/alibaba, test/robustness and any new test: the accounts and
 * access keys, a seeded container group, and the two signers (RPC HMAC-SHA1 params, ACS3-HMAC-SHA256
 * headers) for raw requests whose Timestamp and nonce a test controls. The official SDK clients
 * (pointed at an emulator) stay in test/alibaba/*\/support.ts and clients.ts, next to their tests.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { startTestEmulator, type TestEmulator } from '../emulator.js';

export const ECI_VERSION = '2018-08-08';
export const ENS_VERSION = '2017-11-10';
export const ACCOUNT = '1234567890123456';
export const OTHER_ACCOUNT = '9999999999999999';
export type Creds = { accessKeyId: string; accessKeySecret: string };
/** The captures' fake credentials (a full-access key). */
export const KEY: Creds = { accessKeyId: 'LTAI5tFAKEACCESSKEYID01', accessKeySecret: 'FakeAccessKeySecretForCapture0001' };
/** May only call eci:Describe* (so every ENS call and every ECI change is denied). */
export const READ_ONLY: Creds = { accessKeyId: 'LTAI5tREADONLY00000001', accessKeySecret: 'ReadOnlySecret0000000000000001' };
export const OTHER: Creds = { accessKeyId: 'LTAI5tOTHERACCOUNT0001', accessKeySecret: 'OtherAccountSecret00000000001' };

export const ACCESS_KEYS = [
  { AccessKeyId: KEY.accessKeyId, AccessKeySecret: KEY.accessKeySecret, AccountId: ACCOUNT },
  { AccessKeyId: READ_ONLY.accessKeyId, AccessKeySecret: READ_ONLY.accessKeySecret, AccountId: ACCOUNT, Actions: ['eci:Describe*'] },
  { AccessKeyId: OTHER.accessKeyId, AccessKeySecret: OTHER.accessKeySecret, AccountId: OTHER_ACCOUNT },
];

export const GROUP = 'eci-2zelg8vwnlzdhf8hv0001';

/** A container group as a capture shows it (what a seed usually names). */
export function group(id: string, extra: Record<string, unknown> = {}) {
  return {
    ContainerGroupId: id,
    ContainerGroupName: `cg-${id.slice(-4)}`,
    RegionId: 'cn-hangzhou',
    ZoneId: 'cn-hangzhou-h',
    Status: 'Running',
    CreationTime: '2024-01-01T00:00:00Z',
    Tags: [{ Key: 'env', Value: 'test' }],
    Containers: [{ Name: 'nginx', Image: 'nginx:latest', Cpu: 2, Memory: 4, Ready: true, RestartCount: 0, CurrentState: { State: 'Running', StartTime: '2024-01-01T00:00:10Z' }, PreviousState: {} }],
    Events: [],
    ...extra,
  };
}

/** A test emulator seeded with the world's keys and `alibaba` (the part of the state document beside the keys). */
export async function startAlibaba(alibaba: Record<string, unknown> = { eci: { containerGroups: [group(GROUP)] } }, options: Parameters<typeof startTestEmulator>[0] = {}): Promise<TestEmulator> {
  const t = await startTestEmulator(options);
  await t.seed({ alibaba: { accessKeys: ACCESS_KEYS, ...alibaba } });
  return t;
}

/** RFC 3986 encoding as both signatures use it (`!'()*` escaped too). */
export const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The RPC v1 signature of `params` (everything but Signature) for `method`, under `secret`. */
export function rpcSignature(method: string, params: Record<string, string>, secret: string): string {
  const canonical = Object.keys(params).sort().map((k) => `${enc(k)}=${enc(params[k]!)}`).join('&');
  const sts = `${method}&${enc('/')}&${enc(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(sts).digest('base64');
}

/** RPC v1 (HMAC-SHA1) signed params, with every common parameter; `omit` leaves some out before signing. */
export function signRpc(
  method: 'GET' | 'POST',
  action: string,
  api: Record<string, string>,
  opts: { creds?: Creds; timestamp?: string; nonce?: string; version?: string; format?: string; omit?: string[] } = {},
): Record<string, string> {
  const creds = opts.creds ?? KEY;
  const p: Record<string, string> = {
    Action: action,
    Format: opts.format ?? 'JSON',
    Version: opts.version ?? ECI_VERSION,
    AccessKeyId: creds.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: opts.nonce ?? randomBytes(16).toString('hex'),
    Timestamp: opts.timestamp ?? '2026-01-15T08:00:00Z',
    ...api,
  };
  for (const name of opts.omit ?? []) delete p[name];
  p.Signature = rpcSignature(method, p, creds.accessKeySecret);
  return p;
}

export function queryString(p: Record<string, string>): string {
  return Object.entries(p).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
}

/** ACS3 headers for `POST /?query` with an empty body, as the generated SDKs send them. */
export function signAcs3(host: string, action: string, query: Record<string, string>, opts: { creds?: Creds; date?: string; nonce?: string; version?: string } = {}): Record<string, string> {
  const creds = opts.creds ?? KEY;
  const headers: Record<string, string> = {
    host,
    'x-acs-action': action,
    'x-acs-content-sha256': createHash('sha256').update('').digest('hex'),
    'x-acs-date': opts.date ?? '2026-01-15T08:00:00Z',
    'x-acs-signature-nonce': opts.nonce ?? randomBytes(16).toString('hex'),
    'x-acs-version': opts.version ?? ECI_VERSION,
  };
  const names = Object.keys(headers).sort();
  const cq = Object.keys(query).sort().map((k) => `${k}=${enc(query[k]!)}`).join('&');
  const canonical = ['POST', '/', cq, names.map((n) => `${n}:${headers[n]}\n`).join(''), names.join(';'), headers['x-acs-content-sha256']].join('\n');
  const sts = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`;
  const sig = createHmac('sha256', creds.accessKeySecret).update(sts).digest('hex');
  const { host: _h, ...rest } = headers;
  return { ...rest, authorization: `ACS3-HMAC-SHA256 Credential=${creds.accessKeyId},SignedHeaders=${names.join(';')},Signature=${sig}` };
}
