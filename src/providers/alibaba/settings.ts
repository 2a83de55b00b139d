/** The Alibaba provider's settings: where the documents disagree, or users may want it either way. */
import { defineSetting, type SettingDef } from '../../core/settings.js';

export const ALIBABA = {
  strictAuth: defineSetting<boolean>({
    key: 'alibaba.strictAuth',
    type: 'boolean',
    default: false,
    description:
      'Reject unknown access keys (InvalidAccessKeyId.NotFound), reused signature nonces (SignatureNonceUsed) and timestamps more than 15 minutes off the emulator clock (InvalidTimeStamp.Expired). Off: an unknown key is a sandbox key of the default account.',
  }),
  defaultAccountId: defineSetting<string>({
    key: 'alibaba.defaultAccountId',
    type: 'string',
    default: '1234567890123456',
    description: 'Account of access keys seeded without AccountId, of unknown keys in the default mode, and of resources seeded without _emulator.accountId.',
  }),
  signatureMismatchStatus: defineSetting<number>({
    key: 'alibaba.signatureMismatchStatus',
    type: 'integer',
    choices: [400, 403],
    default: 400,
    description: 'HTTP status of SignatureDoesNotMatch: 400 on most Alibaba product pages, 403 on some.',
  }),
  unknownKeyStatus: defineSetting<number>({
    key: 'alibaba.unknownKeyStatus',
    type: 'integer',
    choices: [404, 400],
    default: 404,
    description: 'HTTP status of InvalidAccessKeyId.NotFound (strict mode): 404 on most Alibaba product pages, 400 on some.',
  }),
  unknownActionError: defineSetting<'InvalidAction.NotFound' | 'InvalidAction'>({
    key: 'alibaba.unknownActionError',
    type: 'string',
    choices: ['InvalidAction.NotFound', 'InvalidAction'],
    default: 'InvalidAction.NotFound',
    description: 'Error for an action the API version does not have: 404 InvalidAction.NotFound (the common gateway error) or 403 InvalidAction (as the ECI pages list it).',
  }),
  rpcDefaultFormat: defineSetting<'XML' | 'JSON'>({
    key: 'alibaba.rpcDefaultFormat',
    type: 'string',
    choices: ['XML', 'JSON'],
    default: 'XML',
    description:
      'Answer format of an RPC-signed call (Signature param) that sends no Format: XML, the default the common-parameter pages document, or JSON. ACS3 calls without Format always get JSON.',
  }),
  extraRegions: defineSetting<string>({
    key: 'alibaba.extraRegions',
    type: 'string',
    default: '',
    description: 'RegionIds served besides the public ECI regions, comma-separated (another RegionId is 404 InvalidRegionId.NotFound).',
  }),
  eciNotFoundStyle: defineSetting<'InvalidParameter' | 'InvalidParameter.NotFound' | 'NotFound'>({
    key: 'alibaba.eci.notFoundStyle',
    type: 'string',
    choices: ['InvalidParameter', 'InvalidParameter.NotFound', 'NotFound'],
    default: 'InvalidParameter',
    description:
      'Error for an ECI id that names no resource: 400 InvalidParameter (the code the ECI reference pages document), 400 InvalidParameter.NotFound (what some public client code expects of real answers) or 404 InvalidResourceId.NotFound (the tag APIs of other products).',
  }),
} as const;

/** Every setting of the provider, for the engine. */
export const ALIBABA_SETTINGS: SettingDef[] = Object.values(ALIBABA);
