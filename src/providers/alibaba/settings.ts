import type { SettingDef } from '../../core/settings.js';

export const STRICT_AUTH = 'alibaba.strictAuth';
export const DEFAULT_ACCOUNT = 'alibaba.defaultAccountId';
export const UNKNOWN_ACTION = 'alibaba.unknownActionError';
export const ECI_NOT_FOUND = 'alibaba.eci.notFoundStyle';
export const SIGNATURE_MISMATCH_STATUS = 'alibaba.signatureMismatchStatus';
export const UNKNOWN_KEY_STATUS = 'alibaba.unknownKeyStatus';

export const ALIBABA_SETTINGS: SettingDef[] = [
  {
    key: STRICT_AUTH,
    type: 'boolean',
    default: false,
    description:
      'Reject unknown access keys (InvalidAccessKeyId.NotFound), reused signature nonces (SignatureNonceUsed) and timestamps more than 15 minutes off the emulator clock (InvalidTimeStamp.Expired). Off: an unknown key is a sandbox key of the default account.',
  },
  {
    key: DEFAULT_ACCOUNT,
    type: 'string',
    default: '1234567890123456',
    description: 'Account of access keys seeded without AccountId, of unknown keys in the default mode, and of resources seeded without _emulator.accountId.',
  },
  {
    key: SIGNATURE_MISMATCH_STATUS,
    type: 'integer',
    choices: [400, 403],
    default: 400,
    description: 'HTTP status of SignatureDoesNotMatch: 400 on most Alibaba product pages, 403 on some.',
  },
  {
    key: UNKNOWN_KEY_STATUS,
    type: 'integer',
    choices: [404, 400],
    default: 404,
    description: 'HTTP status of InvalidAccessKeyId.NotFound (strict mode): 404 on most Alibaba product pages, 400 on some.',
  },
  {
    key: UNKNOWN_ACTION,
    type: 'string',
    choices: ['InvalidAction.NotFound', 'InvalidAction'],
    default: 'InvalidAction.NotFound',
    description: 'Error for an action the API version does not have: 404 InvalidAction.NotFound (the common gateway error) or 403 InvalidAction (as the ECI pages list it).',
  },
  {
    key: ECI_NOT_FOUND,
    type: 'string',
    choices: ['InvalidParameter', 'NotFound'],
    default: 'InvalidParameter',
    description: 'Error for an ECI id that names no resource: 400 InvalidParameter (the code the ECI pages document) or 404 InvalidResourceId.NotFound.',
  },
];
