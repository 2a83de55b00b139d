/**
 * The signature worked examples recorded from the official SDKs (fake secret), replayed byte for
 * byte: the emulator must verify each exactly as sent, and reject it when one byte changes.
 */
import request from 'supertest';
import type { TestEmulator } from '../../support/emulator.js';
import { expectEnvelope, expectSchema, GROUP, startEci } from './support.js';

const HOST = '127.0.0.1:46357';
const QUERY = '/?ClientToken=123e4567-e89b-12d3-a456-426614174000&ContainerGroupId=eci-2zelg8vwnlzdhf8hv0001&RegionId=cn-hangzhou';
const ACS3_HEADERS = {
  host: HOST,
  'x-acs-version': '2018-08-08',
  'x-acs-action': 'RestartContainerGroup',
  'x-acs-date': '2026-11-23T02:52:52Z',
  'x-acs-signature-nonce': '9ca6241f043bf0ea5fa1dea7d6bcd70a474b4e494c222419eb3144a6aad0630d',
  accept: 'application/json',
  'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'x-acs-credentials-provider': 'static_ak',
  authorization:
    'ACS3-HMAC-SHA256 Credential=LTAI5tFAKEACCESSKEYID01,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=4274a3893b10df92a03647c4a52c9b8e35fb058aa7e19783c819dcdca4f870e1',
};
const POP_GET =
  '/?AccessKeyId=LTAI5tFAKEACCESSKEYID01&Action=RestartContainerGroup&ClientToken=123e4567-e89b-12d3-a456-426614174000&ContainerGroupId=eci-2zelg8vwnlzdhf8hv0001&Format=JSON&RegionId=cn-hangzhou&SignatureMethod=HMAC-SHA1&SignatureNonce=a20f6566d91ce252cd576945f1dc05ae&SignatureVersion=1.0&Timestamp=2026-11-23T02%3A52%3A52Z&Version=2018-08-08&Signature=TVuZLoOrXbJPjyH23CBwrsBs0es%3D';
const POP_POST_BODY =
  'AccessKeyId=LTAI5tFAKEACCESSKEYID01&Action=RestartContainerGroup&ClientToken=123e4567-e89b-12d3-a456-426614174000&ContainerGroupId=eci-2zelg8vwnlzdhf8hv0001&Format=JSON&RegionId=cn-hangzhou&SignatureMethod=HMAC-SHA1&SignatureNonce=af9f0f3afa4daf59a0c15a644f3bebca&SignatureVersion=1.0&Timestamp=2026-11-23T02%3A52%3A52Z&Version=2018-08-08&Signature=M9HOzHPa61yJoM1ytzLm5uljaNw%3D';
const SDK_V2 =
  '/?Action=RestartContainerGroup&Format=json&Version=2018-08-08&Timestamp=2026-11-23T02%3A52%3A52Z&SignatureNonce=92d7a2f3c4bd455af0927bc1b50309ec5ad50daa71ec09ca78e8171a7f316280&ClientToken=123e4567-e89b-12d3-a456-426614174000&ContainerGroupId=eci-2zelg8vwnlzdhf8hv0001&RegionId=cn-hangzhou&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyId=LTAI5tFAKEACCESSKEYID01&Signature=9pObWhgXRcRiH%2F0%2FBS6c68Pr54g%3D';

let t: TestEmulator;
beforeEach(async () => {
  t = await startEci();
});
afterEach(() => t.close());

const restarted = async () => (await t.state()).alibaba.eci.containerGroups.find((g: any) => g.ContainerGroupId === GROUP).Status;

test('the ACS3-HMAC-SHA256 capture verifies, and fails with another host or date', async () => {
  const res = await request(t.url).post(QUERY).set(ACS3_HEADERS);
  expect(res.status).toBe(200);
  expectSchema('eci/RestartContainerGroup.response.json', res.body);
  expect(await restarted()).toBe('Restarting');
  expectEnvelope(await request(t.url).post(QUERY).set({ ...ACS3_HEADERS, host: '127.0.0.1:46358' }), 400, 'SignatureDoesNotMatch');
  expectEnvelope(await request(t.url).post(QUERY).set({ ...ACS3_HEADERS, 'x-acs-date': '2026-11-23T02:52:53Z' }), 400, 'SignatureDoesNotMatch');
});

test('the pop-core GET capture verifies', async () => {
  const res = await request(t.url).get(POP_GET).set({ host: HOST, 'x-acs-action': 'RestartContainerGroup', 'x-acs-version': '2018-08-08' });
  expect(res.status).toBe(200);
  expect(await restarted()).toBe('Restarting');
  expectEnvelope(await request(t.url).post(POP_GET).set({ host: HOST }), 400, 'SignatureDoesNotMatch');
});

test('the pop-core POST (form body) capture verifies', async () => {
  const res = await request(t.url).post('/').set({ host: HOST, 'content-type': 'application/x-www-form-urlencoded' }).send(POP_POST_BODY);
  expect(res.status).toBe(200);
  expect(await restarted()).toBe('Restarting');
});

test('the generated SDK\'s signatureAlgorithm v2 capture verifies', async () => {
  const res = await request(t.url).post(SDK_V2).set({ host: HOST, 'x-acs-version': '2018-08-08', 'x-acs-action': 'RestartContainerGroup', 'x-acs-credentials-provider': 'static_ak' });
  expect(res.status).toBe(200);
  expect(await restarted()).toBe('Restarting');
});
