import type { SettingDef } from '../../core/settings.js';

export const STRICT_AUTH = 'alibaba.strictAuth';
export const DEFAULT_ACCOUNT = 'alibaba.defaultAccountId';

export const ALIBABA_SETTINGS: SettingDef[] = [
  {
    key: STRICT_AUTH,
    type: 'boolean',
    default: false,
    description:
      'Reject unknown access keys (InvalidAccessKeyId.NotFound), reused signature nonces (SignatureNonceUsed) and timestamps more than 15 minutes off (InvalidTimeStamp.Expired). Off: an unknown key is a sandbox key of the default account.',
  },
  {
    key: DEFAULT_ACCOUNT,
    type: 'string',
    default: '1234567890123456',
    description: 'Account of access keys seeded without AccountId, of unknown keys in the default mode, and of resources seeded without _emulator.accountId.',
  },
];
