/** The Huawei provider's settings: where the documents disagree, or users may want it either way. */
import { defineSetting, type SettingDef } from '../../core/settings.js';

export const REBOOT_TRANSITION = 'huawei.koophone.reboot';

export const HUAWEI = {
  missingRequestIdStatus: defineSetting<number>({
    key: 'huawei.koophone.missingRequestIdStatus',
    type: 'integer',
    choices: [200, 400],
    default: 200,
    description: "HTTP status of KOOPHONE.API.0002 (missing x-request-id): 200 as the current error table documents, or 400 as older pages have it",
  }),
  noPermissionStatus: defineSetting<number>({
    key: 'huawei.koophone.noPermissionStatus',
    type: 'integer',
    choices: [400, 401],
    default: 400,
    description: 'HTTP status of KOOPHONE.API.1001 (unknown or foreign instance): 400 as the operation pages document, or 401 as the older error table has it',
  }),
  requireRequestId: defineSetting<boolean>({
    key: 'huawei.koophone.requireRequestId',
    type: 'boolean',
    default: true,
    description: 'answer KOOPHONE.API.0002 when x-request-id is missing (the Java SDK never sends it for reboot and status; false accepts such calls)',
  }),
  rebootPath: defineSetting<string>({
    key: 'huawei.koophone.rebootPath',
    type: 'string',
    default: '2,4,2',
    description: 'running_status values a rebooted instance passes through, starting at 2 (running) and leaving it at once; the values after the first are spread evenly over the huawei.koophone.reboot duration',
  }),
  listCodesPlacement: defineSetting<'both' | 'data' | 'top'>({
    key: 'huawei.koophone.listCodesPlacement',
    type: 'string',
    choices: ['both', 'data', 'top'],
    default: 'both',
    description: 'where batch-query puts error_code/error_msg: inside "data" (its field table and the Java SDK model ListInstancesResponse → InstanceBatchQueryRspData), at the top level (as every other operation does), or both',
  }),
  stateErrorStatus: defineSetting<number>({
    key: 'huawei.koophone.stateErrorStatus',
    type: 'integer',
    choices: [200, 400],
    default: 200,
    description: 'HTTP status of the state codes KOOPHONE.API.1004 (not subscribed), 2004 (frozen), 2005 (recovering) and 2006 (backing up): 200 as the current error table lists them, or 400 as the operation pages file their codes',
  }),
  gatewayCodePrefix: defineSetting<'APIGW' | 'APIG'>({
    key: 'huawei.gateway.codePrefix',
    type: 'string',
    choices: ['APIGW', 'APIG'],
    default: 'APIGW',
    description: 'how the API gateway spells its codes (APIGW.0301, APIGW.0101, ...): APIGW as real responses quoted in public issues and the signing guide have it, with their wordings ("ak X not exist"); APIG as the APIG user guide FAQ has it, with its wordings ("Get secretKey failed,ak:X,err:ak not exist")',
  }),
  requestIdHeader: defineSetting<'gateway' | 'echo'>({
    key: 'huawei.gateway.requestIdHeader',
    type: 'string',
    choices: ['gateway', 'echo'],
    default: 'gateway',
    description: "the X-Request-Id response header: 'gateway' = the gateway's own 32-hex id on every answer (the body's request_id on gateway errors), as APIG documents and real responses show; 'echo' = KooPhone answers echo the client's x-request-id (gateway errors keep the gateway's id)",
  }),
  sdkDateSkewSeconds: defineSetting<number>({
    key: 'huawei.gateway.sdkDateSkewSeconds',
    type: 'integer',
    min: 0,
    max: 365 * 24 * 60 * 60,
    default: 900,
    description: 'largest difference between X-Sdk-Date and the emulator clock the gateway accepts (15 minutes, as APIG documents); 0 = do not check',
  }),
  tokenLifetimeSeconds: defineSetting<number>({
    key: 'huawei.iam.tokenLifetimeSeconds',
    type: 'integer',
    min: 1,
    max: 365 * 24 * 60 * 60,
    default: 86400,
    description: 'lifetime of a token issued by POST /v3/auth/tokens (24 h, as IAM documents), on the emulator clock',
  }),
} as const;

/** Every setting of the provider, for the engine. */
export const HUAWEI_SETTINGS: SettingDef[] = Object.values(HUAWEI);
