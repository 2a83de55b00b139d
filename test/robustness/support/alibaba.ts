/**
 * Malformed Alibaba RPC calls (ECI 2018-08-08 and ENS 2017-11-10), each otherwise valid: signed
 * with a seeded key over exactly the params the server will read (RPC HMAC-SHA1 in the query or a
 * form body, or ACS3-HMAC-SHA256 in the Authorization header), so what is wrong is the bad part.
 */
import { createHash, createHmac } from 'node:crypto';
import { enc, rpcSignature } from '../../support/worlds/alibaba.js';
import type { TestEmulator } from '../../support/emulator.js';
import {
  BAD_ESCAPES,
  BAD_UTF8,
  type Case,
  DEPTHS,
  deepArray,
  encodingCases,
  lastNeeds,
  markAuth,
  deepObject,
  type EnvelopeCheck,
  HUGE,
  LONG,
  OVERSIZE,
  type Rand,
  pick,
  UNICODE,
  WRONG_METHODS,
} from './fuzz.js';

export const KEY = { id: 'LTAI5tROBUSTFULLACCESS01', secret: 'RobustSecretFullAccess000000001' };
export const READ_ONLY = { id: 'LTAI5tROBUSTREADONLY0001', secret: 'RobustSecretReadOnly0000000001' };
const REGION = 'cn-hangzhou';
export const GROUP = 'eci-robust000000000000001';
export const EVENT = 'e-robust0000000000000000000000001';
export const INSTANCE = 'i-robust00000000000000001';

export function alibabaSeed(): Record<string, unknown> {
  return {
    alibaba: {
      accessKeys: [
        { AccessKeyId: KEY.id, AccessKeySecret: KEY.secret },
        { AccessKeyId: READ_ONLY.id, AccessKeySecret: READ_ONLY.secret, Actions: ['eci:Describe*'] },
      ],
      eci: {
        containerGroups: [{ ContainerGroupId: GROUP, RegionId: REGION, CreationTime: '2025-01-01T00:00:00Z', Tags: [{ Key: 'env', Value: 'test' }] }],
        imageCaches: [{ ImageCacheId: 'imc-robust0001', RegionId: REGION }],
      },
      ens: {
        instances: [{ InstanceId: INSTANCE }],
        events: [{ EventId: EVENT, ResourceId: INSTANCE }],
      },
    },
  };
}


/** One param as it goes on the wire: key and value already encoded (a value may be raw bytes). */
type Wire = [string, string | Buffer];
const p = (k: string, v: string): Wire => [enc(k), enc(v)];

interface Param {
  name: string;
  required?: boolean;
  /** Values this param must refuse (each one a case). */
  bad: string[];
  /** Whether any junk text (huge, unicode, broken escapes) is refused here, or may be accepted (a filter that matches nothing). */
  junk: 'reject' | 'tolerate';
}

interface Op {
  product: 'eci' | 'ens';
  action: string;
  version: string;
  write: boolean;
  /** What the read-only key (eci:Describe* only) may not call. */
  readOnlyDenied: boolean;
  /** A valid call: sent alone, it succeeds (the control at the end of the suite proves it). */
  base(): Wire[];
  params: Param[];
}

const ECI = '2018-08-08';
const ENS = '2017-11-10';
const many = (prefix: string, n: number, value: (i: number) => string): Wire[] => Array.from({ length: n }, (_, i) => p(`${prefix}.${i + 1}`, value(i)));
const INT_BAD = ['abc', '1.5', '1e3', '-1', '0x10', ' 1', '99999999999999999999', '１'];
const BOOL_BAD = ['yes', '1', 'TRUE ', 'null'];
const JSON_ARRAY_BAD = ['{', '"x"', '{"a":1}', '[1,2]', '[null]', '[["a"]]', 'null', deepArray(1000), '[' + deepObject(500) + ']'];

export const OPS: Op[] = [
  {
    product: 'eci',
    action: 'RestartContainerGroup',
    version: ECI,
    write: true,
    readOnlyDenied: true,
    base: () => [p('RegionId', REGION), p('ContainerGroupId', GROUP)],
    params: [
      { name: 'RegionId', required: true, bad: ['', 'cn-nowhere'], junk: 'reject' },
      { name: 'ContainerGroupId', required: true, bad: ['', 'eci-unknown', GROUP.toUpperCase(), ` ${GROUP}`], junk: 'reject' },
      { name: 'ClientToken', bad: ['c'.repeat(65), '名前', 'tab\there'], junk: 'tolerate' },
    ],
  },
  {
    product: 'eci',
    action: 'TagResources',
    version: ECI,
    write: true,
    readOnlyDenied: true,
    base: () => [p('RegionId', REGION), p('ResourceType', 'ContainerGroup'), p('ResourceId.1', GROUP), p('Tag.1.Key', 'team'), p('Tag.1.Value', 'robust')],
    params: [
      { name: 'RegionId', required: true, bad: ['', 'cn-nowhere'], junk: 'reject' },
      { name: 'ResourceType', required: true, bad: ['', 'containergroup', 'Instance', 'ContainerGroup '], junk: 'reject' },
      { name: 'ResourceId.1', required: true, bad: ['', 'eci-unknown', 'imc-robust0001'], junk: 'reject' },
      { name: 'Tag.1.Key', required: true, bad: ['', 'aliyun-x', 'acs:x', 'a http://b', 'k'.repeat(129)], junk: 'tolerate' },
      { name: 'Tag.1.Value', bad: ['v'.repeat(129), 'see https://x'], junk: 'tolerate' },
    ],
  },
  {
    product: 'eci',
    action: 'UntagResources',
    version: ECI,
    write: true,
    readOnlyDenied: true,
    base: () => [p('RegionId', REGION), p('ResourceType', 'ContainerGroup'), p('ResourceId.1', GROUP), p('TagKey.1', 'env')],
    params: [
      { name: 'RegionId', required: true, bad: ['', 'cn-nowhere'], junk: 'reject' },
      { name: 'ResourceType', required: true, bad: ['', 'CONTAINERGROUP', 'Eci'], junk: 'reject' },
      { name: 'ResourceId.1', required: true, bad: ['', 'eci-unknown'], junk: 'reject' },
      { name: 'All', bad: BOOL_BAD, junk: 'reject' },
      { name: 'ClientToken', bad: ['c'.repeat(65), 'ü'], junk: 'tolerate' },
    ],
  },
  {
    product: 'eci',
    action: 'ListTagResources',
    version: ECI,
    write: false,
    readOnlyDenied: true,
    base: () => [p('RegionId', REGION), p('ResourceType', 'ContainerGroup'), p('ResourceId.1', GROUP)],
    params: [
      { name: 'RegionId', required: true, bad: [''], junk: 'tolerate' },
      { name: 'ResourceType', required: true, bad: ['', 'containergroup'], junk: 'reject' },
      { name: 'Limit', bad: [...INT_BAD, '0', '51'], junk: 'reject' },
      { name: 'NextToken', bad: ['garbage', '\u0000\uFFFF', '-1'], junk: 'reject' },
      { name: 'ResourceId.1', bad: [], junk: 'tolerate' },
    ],
  },
  {
    product: 'eci',
    action: 'DescribeContainerGroups',
    version: ECI,
    write: false,
    readOnlyDenied: false,
    base: () => [p('RegionId', REGION), p('ContainerGroupIds', JSON.stringify([GROUP]))],
    params: [
      { name: 'RegionId', required: true, bad: [''], junk: 'tolerate' },
      { name: 'ContainerGroupIds', bad: [...JSON_ARRAY_BAD, JSON.stringify(Array.from({ length: 21 }, (_, i) => `eci-${i}`))], junk: 'reject' },
      { name: 'Limit', bad: [...INT_BAD, '0', '21'], junk: 'reject' },
      { name: 'WithEvent', bad: BOOL_BAD, junk: 'reject' },
      { name: 'NextToken', bad: ['garbage', '%%%'], junk: 'reject' },
      { name: 'Status', bad: [], junk: 'tolerate' },
    ],
  },
  {
    product: 'eci',
    action: 'DescribeContainerGroupStatus',
    version: ECI,
    write: false,
    readOnlyDenied: false,
    base: () => [p('RegionId', REGION), p('ContainerGroupIds', JSON.stringify([GROUP]))],
    params: [
      { name: 'RegionId', required: true, bad: [''], junk: 'tolerate' },
      { name: 'ContainerGroupIds', bad: JSON_ARRAY_BAD, junk: 'reject' },
      { name: 'Limit', bad: [...INT_BAD, '0', '501'], junk: 'reject' },
      { name: 'SinceSecond', bad: INT_BAD, junk: 'reject' },
      { name: 'NextToken', bad: ['garbage'], junk: 'reject' },
    ],
  },
  {
    product: 'ens',
    action: 'BatchEventRebootInstance',
    version: ENS,
    write: true,
    readOnlyDenied: true,
    base: () => [p('EventInfos', JSON.stringify([{ EventId: EVENT, ResourceId: INSTANCE, OpsType: 'immediate' }]))],
    params: [
      {
        name: 'EventInfos',
        required: true,
        bad: [
          '',
          '[]',
          '{}',
          'x',
          '[1]',
          '["a"]',
          JSON.stringify({ EventId: EVENT, ResourceId: INSTANCE, OpsType: 'immediate' }),
          JSON.stringify([{ EventId: 1, ResourceId: INSTANCE, OpsType: 'immediate' }]),
          JSON.stringify([{ EventId: [EVENT], ResourceId: INSTANCE, OpsType: 'immediate' }]),
          JSON.stringify([{ EventId: EVENT, ResourceId: { id: INSTANCE }, OpsType: 'immediate' }]),
          JSON.stringify([{ EventId: EVENT, ResourceId: INSTANCE }]),
          JSON.stringify([{ EventId: EVENT, ResourceId: INSTANCE, OpsType: 'IMMEDIATE' }]),
          JSON.stringify([{ EventId: EVENT, ResourceId: INSTANCE, OpsType: ['immediate'] }]),
          JSON.stringify([{ EventId: EVENT, ResourceId: INSTANCE, OpsType: 'scheduled' }]),
          JSON.stringify([{ EventId: EVENT, ResourceId: INSTANCE, OpsType: 'scheduled', PlanTime: -1 }]),
          JSON.stringify([{ EventId: EVENT, ResourceId: INSTANCE, OpsType: 'scheduled', PlanTime: '1e400' }]),
          JSON.stringify([{ EventId: EVENT, ResourceId: INSTANCE, OpsType: 'scheduled', PlanTime: 1e300 }]),
          JSON.stringify([{ EventId: EVENT, ResourceId: INSTANCE, OpsType: 'scheduled', PlanUtcTime: 'tomorrow' }]),
          JSON.stringify([{ EventId: EVENT, ResourceId: INSTANCE, OpsType: 'immediate', PlanTime: 'soon' }]),
          JSON.stringify([{ EventId: EVENT, ResourceId: INSTANCE, OpsType: 'immediate' }, 7]),
          '[' + deepObject(2000) + ']',
          deepArray(20000),
          `[{"EventId":"${EVENT}","ResourceId":"${INSTANCE}","OpsType":7,"__proto__":{"OpsType":"immediate"}}]`,
        ],
        junk: 'reject',
      },
    ],
  },
  {
    product: 'ens',
    action: 'DescribeHistoryEvents',
    version: ENS,
    write: false,
    readOnlyDenied: true,
    base: () => [p('EventTypes', 'Instance:SystemMaintenance.Reboot')],
    params: [
      { name: 'EventTypes', required: true, bad: ['', ',', ' , '], junk: 'tolerate' },
      { name: 'PageNumber', bad: [...INT_BAD.filter((v) => v !== ' 1'), '0'], junk: 'reject' },
      { name: 'PageSize', bad: [...INT_BAD.filter((v) => v !== ' 1'), '0', '101'], junk: 'reject' },
      { name: 'ResourceIds', bad: [], junk: 'tolerate' },
    ],
  },
  {
    product: 'ens',
    action: 'DescribeInstances',
    version: ENS,
    write: false,
    readOnlyDenied: true,
    base: () => [p('InstanceIds', JSON.stringify([INSTANCE]))],
    params: [
      { name: 'InstanceIds', bad: [...JSON_ARRAY_BAD, JSON.stringify(Array.from({ length: 101 }, (_, i) => `i-${i}`))], junk: 'reject' },
      { name: 'EnsRegionIds', bad: JSON_ARRAY_BAD, junk: 'reject' },
      { name: 'PageNumber', bad: [...INT_BAD.filter((v) => v !== ' 1'), '0'], junk: 'reject' },
      { name: 'PageSize', bad: [...INT_BAD.filter((v) => v !== ' 1'), '0', '101'], junk: 'reject' },
      { name: 'InstanceName', bad: [], junk: 'tolerate' },
    ],
  },
];

const PRODUCT: Record<string, string> = Object.fromEntries(OPS.map((op) => [op.action, op.product]));

type Transport = 'get' | 'form' | 'acs3';
type Creds = { id: string; secret: string };

interface Build {
  transport: Transport;
  creds?: Creds;
  method?: string;
  /** Changes the signed request after signing (tampering), or its auth headers. */
  after?: (r: { path: string; headers: Record<string, string | string[]>; body?: Buffer }) => void;
  /** Leave the protocol params out of the signature (for the auth cases that break it). */
  signature?: 'hmac' | 'wrong-secret' | 'none';
  /** The body to send instead of the params (form transport only keeps params in it). */
  body?: Buffer;
  extraProtocol?: Wire[];
  /** Signed values for the nonce and the time (default: a fresh nonce, the manual clock's start). */
  nonce?: string;
  timestamp?: string;
}

const NONCE = (() => {
  let n = 0;
  return () => `nonce-${++n}`;
})();

function wireString(wire: Wire[]): Buffer {
  const parts: Buffer[] = [];
  wire.forEach(([k, v], i) => {
    if (i > 0) parts.push(Buffer.from('&'));
    parts.push(Buffer.from(`${k}=`, 'latin1'), Buffer.isBuffer(v) ? v : Buffer.from(v, 'latin1'));
  });
  return Buffer.concat(parts);
}

/** What the server reads out of a wire string: URLSearchParams, the last of duplicates winning. */
function serverView(wire: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(wire.toString('utf8'))) out[k] = v;
  return out;
}

/** The world's RPC v1 signer, over the params as the server reads them. */
const rpcSign = rpcSignature;

/** Builds one signed request for `api` (the API params on the wire). */
export function buildRequest(host: string, op: Op, api: Wire[], b: Build): { method: string; path: string; headers: Record<string, string | string[]>; body?: Buffer } {
  const creds = b.creds ?? KEY;
  const method = b.method ?? (b.transport === 'get' ? 'GET' : 'POST');
  const headers: Record<string, string | string[]> = {};
  let path = '/';
  let body: Buffer | undefined;
  if (b.transport === 'acs3') {
    const queryWire = wireString(api);
    const view = serverView(queryWire);
    path = queryWire.length > 0 ? `/?${queryWire.toString('latin1')}` : '/';
    body = b.body ?? Buffer.alloc(0);
    const h: Record<string, string> = {
      host,
      'x-acs-action': op.action,
      'x-acs-content-sha256': createHash('sha256').update(body).digest('hex'),
      'x-acs-date': b.timestamp ?? '2026-01-15T08:00:00Z',
      'x-acs-signature-nonce': b.nonce ?? NONCE(),
      'x-acs-version': op.version,
    };
    const names = Object.keys(h).sort();
    const cq = Object.keys(view)
      .sort()
      .map((k) => `${enc(k)}=${enc(view[k]!)}`)
      .join('&');
    const canonical = [method, '/', cq, names.map((n) => `${n}:${h[n]}\n`).join(''), names.join(';'), h['x-acs-content-sha256']].join('\n');
    const sts = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`;
    const secret = b.signature === 'wrong-secret' ? `${creds.secret}x` : creds.secret;
    const sig = createHmac('sha256', secret).update(sts).digest('hex');
    const { host: _host, ...rest } = h;
    Object.assign(headers, rest);
    if (b.signature !== 'none') headers.authorization = `ACS3-HMAC-SHA256 Credential=${creds.id},SignedHeaders=${names.join(';')},Signature=${sig}`;
    if (body.length === 0) body = undefined;
  } else {
    const protocol: Wire[] = [
      p('Action', op.action),
      p('Version', op.version),
      p('Format', 'JSON'),
      p('AccessKeyId', creds.id),
      p('SignatureMethod', 'HMAC-SHA1'),
      p('SignatureVersion', '1.0'),
      ...(b.nonce === '' ? [] : [p('SignatureNonce', b.nonce ?? NONCE())]),
      ...(b.timestamp === '' ? [] : [p('Timestamp', b.timestamp ?? '2026-01-15T08:00:00Z')]),
      ...(b.extraProtocol ?? []),
    ];
    const all = wireString([...protocol, ...api]);
    const view = serverView(all);
    const secret = b.signature === 'wrong-secret' ? `${creds.secret}x` : creds.secret;
    const signed = b.signature === 'none' ? all : Buffer.concat([all, Buffer.from(`&Signature=${enc(rpcSign(method, view, secret))}`)]);
    if (b.transport === 'get') path = `/?${signed.toString('latin1')}`;
    else {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = b.body ?? signed;
    }
  }
  const out = { method, path, headers, body };
  b.after?.(out);
  return out;
}

/** Every malformed call for every operation, in a deterministic order drawn from `rand`. */
export function alibabaCases(host: string, rand: Rand): Case[] {
  const cases: Case[] = [];
  const transports: Transport[] = ['get', 'form', 'acs3'];
  for (const op of OPS) {
    const add = (name: string, api: Wire[], b: Partial<Build> = {}, expect: Case['expect'] = 'reject') => {
      const transport = b.transport ?? pick(rand, transports);
      const r = buildRequest(host, op, api, { transport, ...b });
      cases.push({ op: op.action, name: `${name} [${transport}]`, req: { method: r.method, path: r.path, headers: r.headers, body: r.body }, expect });
    };
    const base = op.base();
    const without = (name: string) => base.filter(([k]) => k !== enc(name));
    const withValue = (name: string, value: string | Buffer, raw = false): Wire[] => [...without(name), [enc(name), Buffer.isBuffer(value) || raw ? value : enc(value)]];

    for (const param of op.params) {
      if (param.required) {
        add(`missing ${param.name}`, without(param.name));
        // An array where a scalar goes (Name.1 for Name), and a scalar where a list goes (ResourceId for ResourceId.1).
        const listed = /\.1$/.test(param.name) ? param.name.replace(/\.1$/, '') : `${param.name}.1`;
        add(`${param.name} sent as ${listed}`, [...without(param.name), p(listed, base.find(([k]) => k === enc(param.name))?.[1]?.toString() ?? 'x')]);
      }
      for (const bad of param.bad) {
        const huge = bad.length > 5000;
        add(`${param.name}=${JSON.stringify(bad).slice(0, 40)}`, withValue(param.name, bad), huge ? { transport: 'form' } : {});
      }
      const junkExpect = param.junk;
      if (!op.write || junkExpect === 'reject') {
        add(`${param.name} of 6 kB`, withValue(param.name, LONG), {}, junkExpect);
        add(`${param.name} of 200 kB`, withValue(param.name, HUGE), { transport: 'form' }, junkExpect);
        add(`${param.name} of 40 kB in the URL`, withValue(param.name, LONG.repeat(7)), { transport: pick(rand, ['get', 'acs3'] as const) }, junkExpect);
        add(`${param.name} in unicode`, withValue(param.name, pick(rand, UNICODE) + pick(rand, UNICODE)), {}, junkExpect);
        // Every broken escape on the first such param; a PRNG-drawn two on the others (one parser reads them all).
        const escapes = param === op.params.find((x) => x.junk === 'reject' || !op.write) ? BAD_ESCAPES : [pick(rand, BAD_ESCAPES), pick(rand, BAD_ESCAPES)];
        for (const esc of escapes) add(`${param.name} with the escape ${esc}`, withValue(param.name, `v${esc}v`, true), {}, junkExpect);
        add(`${param.name} as invalid UTF-8 bytes`, withValue(param.name, pick(rand, BAD_UTF8)), { transport: 'form' }, junkExpect);
      }
      if (param.bad.length >= 2) {
        // Duplicates: two different bad values, and a good value followed by a bad one.
        add(`${param.name} twice, both bad`, [...without(param.name), p(param.name, param.bad[0]!), p(param.name, param.bad[1]!)]);
        const good = base.find(([k]) => k === enc(param.name));
        if (good) add(`${param.name} twice, good then bad`, [...without(param.name), good, p(param.name, param.bad[1]!)]);
      }
    }

    // Random mixes (PRNG-drawn): two bad values at once, in any transport, with noise around them.
    const breakable = op.params.filter((x) => x.bad.length > 0);
    for (let n = 0; n < 6; n++) {
      const a = pick(rand, breakable);
      const b = pick(rand, op.params);
      const va = pick(rand, a.bad);
      const vb = b.bad.length > 0 && rand() < 0.5 ? pick(rand, b.bad) : pick(rand, [...UNICODE, LONG, 'x']);
      const mixed: Wire[] = [...base.filter(([k]) => k !== enc(a.name) && k !== enc(b.name)), p(a.name, va), ...(b === a ? [] : [p(b.name, vb)]), p(`Noise${n}`, pick(rand, UNICODE))];
      const usable = mixed.some(([, v]) => v.length > 5000) ? 'form' : pick(rand, transports);
      add(`mix ${n}: ${a.name}=${JSON.stringify(va).slice(0, 20)} with ${b.name}`, mixed, { transport: usable });
    }

    // Extra params: alone they are ignored (tolerated on reads), and never rescue a bad call.
    const extras: Wire[] = [p('Unknown', 'x'), p('RegionId.2', 'y'), p('Tag.0.Key', 'z'), [enc('a[b]'), 'c'], [`${enc(pick(rand, UNICODE))}`, 'v'], ['%zz', '%zz']];
    if (!op.write) add('extra params only', [...base, ...extras], {}, 'tolerate');
    const firstBad = op.params.find((x) => x.bad.length > 0)!;
    add('extra params and a bad value', [...withValue(firstBad.name, firstBad.bad[0]!), ...extras]);

    if (op.action === 'TagResources') {
      add('21 tags', [...base.filter(([k]) => !k.startsWith('Tag.')), ...many('Tag', 21, (i) => `k${i}`).map(([k, v]): Wire => [`${k}.Key`, v])]);
      add('51 resource ids', [...base.filter(([k]) => !k.startsWith('ResourceId')), ...many('ResourceId', 51, () => GROUP)]);
      add('tag index 0', [...base.filter(([k]) => !k.startsWith('Tag.')), p('Tag.0.Key', 'k'), p('Tag.0.Value', 'v')]);
    }
    if (op.action === 'TagResources' || op.action === 'DescribeInstances') {
      // Just under the body limit: 40,000 list params (the router signs, validates and counts them all).
      add('40,000 params in a form body', [...base.filter(([k]) => !k.startsWith('ResourceId')), ...many('ResourceId', 40_000, (i) => `r${i}`), p('PageSize', '0')], { transport: 'form' });
    }
    if (op.action === 'UntagResources') add('21 tag keys', [...base.filter(([k]) => !k.startsWith('TagKey')), ...many('TagKey', 21, (i) => `k${i}`)]);

    // Bodies over the limit, of every kind a client might send.
    for (const size of OVERSIZE) {
      add(`a form body of ${size} bytes`, base, { transport: 'form', body: Buffer.concat([wireString(base), Buffer.from('&Pad='), Buffer.alloc(size, 'p')]) });
      lastNeeds(cases, 413);
      add(`a JSON body of ${size} bytes under ACS3`, base, { transport: 'acs3', body: Buffer.alloc(size, '{') });
      lastNeeds(cases, 413);
    }
    add('a GET with a body over the limit', base, {
      transport: 'get',
      after: (r) => {
        r.body = Buffer.alloc(OVERSIZE[0]!, 'a');
        r.headers['content-type'] = 'text/plain';
      },
    });
    lastNeeds(cases, 413);
    // Deep nesting in a form body value no JSON param reads: the call must still be refused or answered, never crash.
    for (const depth of DEPTHS) add(`a param nested ${depth} deep`, [...withValue(firstBad.name, firstBad.bad[0]!), p('Deep', deepArray(depth))], { transport: 'form' });

    // Wrong methods, signed for that method.
    for (const method of WRONG_METHODS) add(`method ${method}`, base, { transport: pick(rand, ['get', 'form'] as const), method });

    // Bad credentials and signatures.
    const authFrom = cases.length;
    add('signed with the wrong secret', base, { signature: 'wrong-secret' });
    add('no Signature', base, { transport: pick(rand, ['get', 'form'] as const), signature: 'none' });
    add('SignatureMethod HMAC-MD5', base, { transport: 'get', extraProtocol: [p('SignatureMethod', 'HMAC-MD5')] });
    add('no AccessKeyId', base, {
      transport: 'get',
      after: (r) => {
        r.path = r.path.replace(/AccessKeyId=[^&]*&?/, '');
      },
    });
    add('a param changed after signing', base, {
      transport: 'get',
      after: (r) => {
        r.path = r.path.replace(/(Timestamp=)2026/, '$12027');
      },
    });
    add('ACS3 header that does not parse', base, { transport: 'acs3', after: (r) => void (r.headers.authorization = 'ACS3-HMAC-SHA256 nonsense') });
    add('ACS3 without SignedHeaders for the action', base, {
      transport: 'acs3',
      after: (r) => void (r.headers.authorization = String(r.headers.authorization).replace(/SignedHeaders=[^,]*/, 'SignedHeaders=host')),
    });
    add('ACS3 body changed after signing', base, {
      transport: 'acs3',
      body: Buffer.from('x=1'),
      after: (r) => {
        r.headers['content-type'] = 'application/octet-stream';
        r.body = Buffer.from('y=2');
      },
    });
    add('ACS3 action header swapped after signing', base, {
      transport: 'acs3',
      after: (r) => void (r.headers['x-acs-action'] = op.action === 'DescribeInstances' ? 'DescribeHistoryEvents' : 'DescribeInstances'),
    });
    add('Authorization of another scheme', base, { transport: 'get', after: (r) => void (r.headers.authorization = 'Bearer abc') });
    add('Authorization with latin1 bytes', base, { transport: 'get', after: (r) => void (r.headers.authorization = `ACS3-HMAC-SHA256 Credential=${KEY.id},SignedHeaders=host,Signature=\xe9\xff`) });
    add('two Authorization headers', base, {
      transport: 'acs3',
      after: (r) => void (r.headers.authorization = [String(r.headers.authorization).replace(/Signature=\w+$/, 'Signature=0'), String(r.headers.authorization)]),
    });
    if (op.readOnlyDenied) add('a key whose Actions do not allow it', base, { creds: READ_ONLY });
    markAuth(cases, authFrom);
    // The protocol params that name the call: missing, unknown, in another case, twice.
    const strip = (name: string) => (r: { path: string }) => void (r.path = r.path.replace(new RegExp(`([?&])${name}=[^&]*&?`), '$1'));
    add('no Action', base, { transport: 'get', after: strip('Action') });
    add('no Version', base, { transport: 'get', after: strip('Version') });
    add('an unknown Version', base, { transport: 'get', extraProtocol: [p('Version', `${op.version}x`)] });
    add('a Version of another product', base, { transport: 'get', extraProtocol: [p('Version', op.version === ECI ? '2014-05-26' : '2018-08-08')] });
    add('the Action in lower case', base, { transport: 'get', extraProtocol: [p('Action', op.action.toLowerCase())] });
    add('the Action in unicode', base, { transport: 'get', extraProtocol: [p('Action', `${op.action}${pick(rand, UNICODE)}`)] });
    add('the Action as a list', base, { transport: 'get', after: (r) => void (r.path = r.path.replace(/([?&])Action=/, '$1Action.1=')) });
    add('x-acs-version naming no product', base, { transport: 'acs3', after: (r) => void (r.headers['x-acs-version'] = '1999-01-01') });
    cases.push(...encodingCases(op.action, buildRequest(host, op, base, { transport: pick(rand, transports) })));
  }
  return cases;
}

/** The Alibaba envelope: `{ RequestId, HostId, Code, Message, Recommend }`, the request id also in the header. */
export function alibabaEnvelope(t: TestEmulator): EnvelopeCheck {
  return (res, c) => {
    if (res.status < 400) return t.ctx.schemas.check(`alibaba/${PRODUCT[c.op]}/${c.op}.response.json`, res.json).map((e) => e.message)[0];
    const b = res.json;
    const keys = ['RequestId', 'HostId', 'Code', 'Message', 'Recommend'];
    for (const k of keys) if (typeof b[k] !== 'string' || b[k] === '') return `envelope field ${k} missing`;
    const problems = t.ctx.schemas.check('alibaba/error.response.json', b);
    if (problems.length > 0) return problems[0]!.message;
    if (res.headers['x-acs-request-id'] !== b.RequestId) return 'x-acs-request-id differs from RequestId';
    if (!String(res.headers['content-type']).startsWith('application/json;charset=utf-8')) return `content-type ${res.headers['content-type']}`;
    return undefined;
  };
}

/** Each operation's valid call, signed (to prove the cases fail only by what they break). */
export function alibabaControls(host: string): Array<{ op: string; req: { method: string; path: string; headers: Record<string, string | string[]>; body?: Buffer } }> {
  return OPS.map((op) => ({ op: op.action, req: buildRequest(host, op, op.base(), { transport: 'get' }) }));
}

/** A valid signed RPC GET of any action (for the concurrency tests). */
export function signedCall(host: string, product: 'eci' | 'ens', action: string, params: Record<string, string>): { method: string; path: string; headers: Record<string, string | string[]>; body?: Buffer } {
  const op: Op = { product, action, version: product === 'eci' ? ECI : ENS, write: true, readOnlyDenied: true, base: () => [], params: [] };
  return buildRequest(host, op, Object.entries(params).map(([k, v]) => p(k, v)), { transport: 'get' });
}

/** A nonce the strict suite spends (on a read) before its cases reuse it. */
export const SPENT_NONCE = 'robust-spent-nonce';

/** A read whose only purpose is to spend SPENT_NONCE under strict auth. */
export function spendNonce(host: string) {
  const op = OPS.find((o) => o.action === 'DescribeInstances')!;
  return buildRequest(host, op, op.base(), { transport: 'get', nonce: SPENT_NONCE });
}

/** Credentials and freshness that only strict auth (`alibaba.strictAuth`) refuses, on every operation. */
export function alibabaStrictCases(host: string, rand: Rand): Case[] {
  const cases: Case[] = [];
  const transports: Transport[] = ['get', 'form', 'acs3'];
  for (const op of OPS) {
    const add = (name: string, b: Partial<Build>) => {
      const transport = b.transport ?? pick(rand, transports);
      const r = buildRequest(host, op, op.base(), { transport, ...b });
      cases.push({ op: op.action, name: `${name} [${transport}]`, req: { method: r.method, path: r.path, headers: r.headers, body: r.body }, expect: 'reject', auth: true });
    };
    add('an unknown AccessKeyId', { creds: { id: 'LTAI5tNOBODY000000000001', secret: 'whatever' } });
    add('an unknown AccessKeyId in unicode', { transport: 'form', creds: { id: pick(rand, UNICODE), secret: 'x' } });
    for (const ts of ['2026-01-15T07:44:59Z', '2026-01-15T08:15:01Z', '2001-01-01T00:00:00Z', '9999-12-31T23:59:59Z']) add(`Timestamp ${ts}`, { timestamp: ts });
    for (const ts of ['2026/01/15 08:00:00', '1768464000', '2026-01-15T08:00:00+08:00', 'now', '2026-01-15T25:00:00Z']) add(`Timestamp ${ts}`, { timestamp: ts, transport: pick(rand, ['get', 'form'] as const) });
    add('no Timestamp', { timestamp: '', transport: pick(rand, ['get', 'form'] as const) });
    add('no SignatureNonce', { nonce: '', transport: pick(rand, ['get', 'form'] as const) });
    add('a spent SignatureNonce', { nonce: SPENT_NONCE });
  }
  return cases;
}
