/**
 * Issue 15's Alibaba findings, each reproduced through HTTP: XML answers, the common-parameter codes,
 * SignatureVersion, RegionId, provider-worded messages, reserved tag values, the Status page size,
 * the not-found style, the group fields a Terraform-style reader converts unchecked, and every ENS
 * DescribeInstances filter plus ECI's ComputeCategory.
 */
import request from 'supertest';
import type { TestEmulator } from '../support/emulator.js';
import { ENS_VERSION, GROUP, group, queryString, signAcs3, signRpc, startAlibaba } from '../support/worlds/alibaba.js';
import { coreCall, failure } from './eci/support.js';
import { coreClient } from './ens/clients.js';

const REGION = 'cn-hangzhou';
const LIST = { RegionId: REGION, ResourceType: 'ContainerGroup' };
let t: TestEmulator;
const get = (p: Record<string, string>) => request(t.url).get(`/?${queryString(p)}`);

beforeAll(async () => {
  t = await startAlibaba({
    eci: { containerGroups: [group(GROUP), { ContainerGroupId: 'eci-economy000000001', ComputeCategory: 'economy' }] },
    ens: {
      instances: [
        { InstanceId: 'i-ens0000000000000000000001', InstanceName: 'alpha', SpecName: 'ens.sn1.small', Tags: { Tags: [{ TagKey: 'env', TagValue: 'prod' }] }, ServiceStatus: 'Running', _emulator: { ensServiceId: 'ens-svc-1' } },
        {
          InstanceId: 'i-ens0000000000000000000002',
          InstanceName: 'beta',
          SpecName: 'ens.sn2.large',
          CreationTime: '2023-01-01T00:00:00Z',
          NetworkAttributes: { NetworkId: 'n-1', VSwitchId: 'vsw-1', PrivateIpAddress: { IpAddress: ['192.168.1.5'] } },
          SecurityGroupIds: { SecurityGroupId: ['sg-1'] },
          NetworkInterfaces: { NetworkInterfaces: [{ VpdId: 'vpd-1', NetworkInterfaceId: 'eni-1' }] },
          PublicIpAddresses: { PublicIpAddress: [{ Ip: '198.51.100.7', GateWay: '', Isp: 'cmcc' }] },
        },
      ],
    },
  });
});
afterAll(() => t.close());
afterEach(async () => {
  await request(t.url).patch('/_emulator/settings').send({ 'alibaba.eci.notFoundStyle': 'InvalidParameter', 'alibaba.rpcDefaultFormat': 'XML' });
});

describe('Format', () => {
  test('Format=XML answers XML: a success under <ActionResponse>, an error under <Error>, as text/xml the SDKs parse', async () => {
    const ok = await get(signRpc('GET', 'ListTagResources', LIST, { format: 'XML' }));
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('text/xml;charset=utf-8');
    expect(ok.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><ListTagResourcesResponse><RequestId>[0-9A-F-]+<\/RequestId>.*<TagResources><ResourceId>eci-2zelg8vwnlzdhf8hv0001<\/ResourceId>/);
    const bad = await get(signRpc('GET', 'RestartContainerGroup', { RegionId: REGION, ContainerGroupId: 'eci-nosuch' }, { format: 'xml' }));
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toBe('text/xml;charset=utf-8');
    expect(bad.text).toContain('<Error><RequestId>');
    expect(bad.text).toContain('<Code>InvalidParameter</Code>');
    expect(bad.headers['x-acs-request-id']).toBe(/<RequestId>([^<]+)</.exec(bad.text)![1]);
  });

  test('without Format an RPC-signed call gets XML (the common-parameter default), JSON by setting; ACS3 calls get JSON', async () => {
    expect((await get(signRpc('GET', 'ListTagResources', LIST, { omit: ['Format'] }))).headers['content-type']).toBe('text/xml;charset=utf-8');
    await request(t.url).patch('/_emulator/settings').send({ 'alibaba.rpcDefaultFormat': 'JSON' }).expect(200);
    expect((await get(signRpc('GET', 'ListTagResources', LIST, { omit: ['Format'] }))).body.TagResources).toHaveLength(1);
    const acs3 = await request(t.url).post(`/?${queryString(LIST)}`).set(signAcs3(new URL(t.url).host, 'ListTagResources', LIST));
    expect(acs3.headers['content-type']).toBe('application/json;charset=utf-8');
  });

  test('another Format → 400 InvalidParameter.Format, in JSON', async () => {
    const res = await get(signRpc('GET', 'ListTagResources', LIST, { format: 'YAML' }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ Code: 'InvalidParameter.Format' });
  });
});

describe('common parameters', () => {
  test.each(['Timestamp', 'SignatureNonce', 'SignatureMethod', 'SignatureVersion'])('a signed call without %s → Missing%s', async (name) => {
    const res = await get(signRpc('GET', 'ListTagResources', LIST, { omit: [name] }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ Code: `Missing${name}`, Message: `${name} is mandatory for this action.` });
  });

  test('SignatureVersion other than 1.0 → InvalidSignatureVersion', async () => {
    const res = await get(signRpc('GET', 'ListTagResources', { ...LIST, SignatureVersion: '2.0' }));
    expect(res.status).toBe(400);
    expect(res.body.Code).toBe('InvalidSignatureVersion');
  });

  test('an unknown RegionId → 404 InvalidRegionId.NotFound, not an empty list; alibaba.extraRegions serves more', async () => {
    const err = await failure(coreCall(t.url)('DescribeContainerGroups', { RegionId: 'cn-nowhere' }));
    expect(err).toMatchObject({ statusCode: 404, code: 'InvalidRegionId.NotFound' });
    expect(err.data.Message).toBe('The specified RegionId does not exist in our records.');
    await request(t.url).patch('/_emulator/settings').send({ 'alibaba.extraRegions': 'cn-nowhere' }).expect(200);
    expect((await coreCall(t.url)('DescribeContainerGroups', { RegionId: 'cn-nowhere' })).TotalCount).toBe(0);
    await request(t.url).patch('/_emulator/settings').send({ 'alibaba.extraRegions': '' }).expect(200);
  });

  test('validation speaks the provider\'s words, not the schema validator\'s', async () => {
    const err = await failure(coreCall(t.url)('DescribeContainerGroups', { RegionId: REGION, Limit: 21 }));
    expect(err.data.Message).toBe('The specified parameter Limit is not valid. It must be at most 20.');
    const empty = await failure(coreCall(t.url)('RestartContainerGroup', { RegionId: '', ContainerGroupId: GROUP }));
    expect(empty.data.Message).toBe('The specified parameter RegionId is not valid. It cannot be empty.');
    expect(empty.data.Message).not.toMatch(/must NOT|fewer than/);
  });
});

describe('ECI', () => {
  test.each(['aliyun-owned', 'acs:reserved', 'ALIYUN'])('a tag value starting %j → InvalidParameter', async (value) => {
    const err = await failure(coreCall(t.url)('TagResources', { ...LIST, 'ResourceId.1': GROUP, 'Tag.1.Key': 'k', 'Tag.1.Value': value }));
    expect(err).toMatchObject({ statusCode: 400, code: 'InvalidParameter' });
  });

  test('DescribeContainerGroupStatus pages 200 by default (the SDK model), not 20', async () => {
    const many = Array.from({ length: 201 }, (_, i) => ({ ContainerGroupId: `eci-many${String(i).padStart(12, '0')}`, CreationTime: '2025-01-01T00:00:00Z' }));
    await t.seed({ alibaba: { eci: { containerGroups: many } } });
    const body = await coreCall(t.url)('DescribeContainerGroupStatus', { RegionId: REGION });
    expect(body.Data).toHaveLength(200);
    expect(body.NextToken).not.toBe('');
  });

  test('the group fields a container-group reader converts without a check are there for a minimal seed', async () => {
    const body = await coreCall(t.url)('DescribeContainerGroups', { RegionId: REGION, ContainerGroupIds: JSON.stringify(['eci-economy000000001']) });
    const g = body.ContainerGroups[0];
    expect(g).toMatchObject({ DnsConfig: { NameServers: [], Options: [], Searches: [] }, EciSecurityContext: { Sysctls: [] }, HostAliases: [], SpotStrategy: 'NoSpot', ComputeCategory: 'economy', EniInstanceId: 'eni-economy000000001' });
    expect(g.Containers[0]).toMatchObject({ Gpu: 0, ImagePullPolicy: 'IfNotPresent', WorkingDir: '', Stdin: false, Tty: false, CurrentState: { State: 'Running', ExitCode: 0, Reason: '', FinishTime: '', DetailStatus: '' } });
    expect(g.Containers[0].LivenessProbe).toMatchObject({ HttpGet: { Port: 0 }, TcpSocket: { Port: 0 } });
  });

  test('ComputeCategory filters DescribeContainerGroups', async () => {
    const body = await coreCall(t.url)('DescribeContainerGroups', { RegionId: REGION, ComputeCategory: 'economy' });
    expect(body.ContainerGroups.map((g: any) => g.ContainerGroupId)).toEqual(['eci-economy000000001']);
  });

  test('alibaba.eci.notFoundStyle offers InvalidParameter.NotFound', async () => {
    await request(t.url).patch('/_emulator/settings').send({ 'alibaba.eci.notFoundStyle': 'InvalidParameter.NotFound' }).expect(200);
    const err = await failure(coreCall(t.url)('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: 'eci-nosuch' }));
    expect(err).toMatchObject({ statusCode: 400, code: 'InvalidParameter.NotFound' });
  });
});

describe('ENS DescribeInstances filters (a value that matches nothing answers nothing)', () => {
  const A = 'i-ens0000000000000000000001';
  const B = 'i-ens0000000000000000000002';
  const ids = async (query: Record<string, string>) => (await coreClient(t.url)('DescribeInstances', query)).Instances.Instance.map((i: any) => i.InstanceId).filter((id: string) => id === A || id === B);
  test.each<[string, Record<string, string>, string[]]>([
    ['Tags', { Tags: JSON.stringify([{ Key: 'env', Value: 'prod' }]) }, [A]],
    ['Tags (none)', { Tags: JSON.stringify([{ Key: 'env', Value: 'dev' }]) }, []],
    ['SearchKey (name part)', { SearchKey: 'bet' }, [B]],
    ['SearchKey (an address)', { SearchKey: '198.51.100.7' }, [B]],
    ['VSwitchId', { VSwitchId: 'vsw-1' }, [B]],
    ['InstanceType', { InstanceType: 'ens.sn2.large' }, [B]],
    ['SecurityGroupId', { SecurityGroupId: 'sg-1' }, [B]],
    ['NetworkId', { NetworkId: 'n-1' }, [B]],
    ['IntranetIp', { IntranetIp: '192.168.1.5' }, [B]],
    ['EnsServiceId', { EnsServiceId: 'ens-svc-1' }, [A]],
    ['ServiceStatus', { ServiceStatus: JSON.stringify(['Running']) }, [A]],
    ['VpdId', { VpdId: 'vpd-1' }, [B]],
    ['EipAddresses', { EipAddresses: JSON.stringify(['198.51.100.7']) }, [B]],
    ['EipAddresses (none)', { EipAddresses: JSON.stringify(['198.51.100.8']) }, []],
    ['OrderByParams', { OrderByParams: JSON.stringify({ CreationTimeSort: 'asc' }) }, [B, A]],
    ['OrderByParams (desc name)', { OrderByParams: JSON.stringify({ InstanceNameSort: 'desc' }) }, [B, A]],
  ])('%s', async (_name, query, expected) => {
    expect(await ids(query)).toEqual(expected);
  });

  test.each(['Tags', 'ServiceStatus', 'EipAddresses', 'OrderByParams'])('a %s that is not its JSON → InvalidParameter.%s', async (name) => {
    const err = await failure(coreClient(t.url)('DescribeInstances', { [name]: '{' }));
    expect(err).toMatchObject({ statusCode: 400, code: `InvalidParameter.${name}` });
  });

  test('PageSize past its schema bound → InvalidParameter.PageSize (the ENS code, from the schema)', async () => {
    const res = await get(signRpc('GET', 'DescribeInstances', { PageSize: '101' }, { version: ENS_VERSION }));
    expect(res.body).toMatchObject({ Code: 'InvalidParameter.PageSize', HostId: 'ens.aliyuncs.com' });
  });
});
