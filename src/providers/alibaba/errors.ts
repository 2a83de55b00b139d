/**
 * Alibaba errors. Handlers throw an AlibabaError; the router renders it as the JSON envelope
 * `{ RequestId, HostId, Code, Message, Recommend, ...extra }` with `httpStatus`. Each product keeps
 * its own catalogue (one factory per code) next to its operations; the codes the router itself
 * raises (signature, action, version, throttling...) are in `protocolErrors` below.
 */
export class AlibabaError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
    /** Extra envelope fields, e.g. `{ AccessDeniedDetail: {...} }`. */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AlibabaError';
  }
}

/** A catalogue entry: `defineError(400, 'IncorrectStatus', (status: string) => \`...\`)`. */
export function defineError<A extends unknown[]>(httpStatus: number, code: string, message: (...args: A) => string, extra?: (...args: A) => Record<string, unknown>) {
  return (...args: A): AlibabaError => new AlibabaError(httpStatus, code, message(...args), extra?.(...args));
}

/** What the RAM policy engine adds to a denied call (what the SDKs expose as `accessDeniedDetail`). */
export function accessDeniedDetail(action: string, accountId: string, accessKeyId: string): Record<string, unknown> {
  return {
    PolicyType: 'AccountLevelIdentityBasedPolicy',
    AuthPrincipalOwnerId: accountId,
    EncodedDiagnosticMessage: Buffer.from(JSON.stringify({ action, accessKeyId })).toString('base64'),
    AuthPrincipalType: 'SubUser',
    AuthPrincipalDisplayName: accessKeyId,
    NoPermissionType: 'ImplicitDeny',
    AuthAction: action,
  };
}

/** Codes the router raises for any product. Statuses follow the public common-error pages. */
export const protocolErrors = {
  /** The documented throttling answer (captured from ECI): the SDKs retry it after `x-acs-retry-after`. */
  throttlingUser: defineError(400, 'Throttling.User', () => 'Request was denied due to user flow control.'),
  incompleteSignature: defineError(400, 'IncompleteSignature', (why: string) => `The request signature does not conform to Aliyun standards. ${why}`),
  signatureDoesNotMatch: defineError(400, 'SignatureDoesNotMatch', (stringToSign: string) => `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`),
  invalidAccessKeyIdNotFound: defineError(404, 'InvalidAccessKeyId.NotFound', () => 'Specified access key is not found.'),
  signatureNonceUsed: defineError(400, 'SignatureNonceUsed', () => 'Specified signature nonce was used already.'),
  invalidTimeStampExpired: defineError(400, 'InvalidTimeStamp.Expired', (ts: string) => `Specified time stamp or date value is expired. The timestamp ${ts} is more than 15 minutes away from the server time.`),
  /** Strict mode: signed at or before the replay guard's horizon (nonces from then may be forgotten: see nonces.ts). */
  timeStampBeforeHorizon: defineError(
    400,
    'InvalidTimeStamp.Expired',
    (ts: string, horizon: string) => `Specified time stamp or date value is expired. The timestamp ${ts} is not later than ${horizon}, the earliest signing time whose nonces the emulator still remembers; sign the request again.`,
  ),
  invalidTimeStampFormat: defineError(400, 'InvalidTimeStamp.Format', () => 'Specified time stamp or date value is not well formatted.'),
  unsupportedSignatureMethod: defineError(400, 'InvalidSignatureMethod', (m: string) => `Specified signature method ${m} is not supported.`),
  /** RPC signature v1 is version 1.0 only. */
  unsupportedSignatureVersion: defineError(400, 'InvalidSignatureVersion', (v: string) => `Specified signature version ${v} is not supported.`),
  /**
   * A common parameter the gateway requires is absent: its own code, `Missing{Name}` (MissingAction,
   * MissingVersion, MissingSignature, MissingTimestamp, MissingSignatureNonce, ...).
   */
  missingCommon: (name: 'Action' | 'Version' | 'AccessKeyId' | 'Signature' | 'SignatureMethod' | 'SignatureVersion' | 'Timestamp' | 'SignatureNonce'): AlibabaError =>
    new AlibabaError(400, `Missing${name}`, `${name} is mandatory for this action.`),
  invalidFormat: defineError(400, 'InvalidParameter.Format', (format: string) => `The specified parameter Format is not valid. ${format} is neither JSON nor XML.`),
  /** What other Alibaba products answer for a RegionId they do not serve. */
  regionNotFound: defineError(404, 'InvalidRegionId.NotFound', (_region: string) => 'The specified RegionId does not exist in our records.'),
  unsupportedHttpMethod: defineError(400, 'UnsupportedHTTPMethod', (method: string) => `The HTTP method ${method} is not supported; use GET or POST.`),
  invalidActionNotFound: defineError(404, 'InvalidAction.NotFound', (action: string) => `Specified api ${action} is not found, please check your url and method.`),
  /** The message RestartContainerGroup's page documents for 403 InvalidAction. */
  invalidAction: defineError(403, 'InvalidAction', (_action: string) => 'The specified action is invalid'),
  invalidVersion: defineError(400, 'InvalidVersion', (version: string) => `Specified parameter Version ${version} is not valid.`),
  missingParameter: defineError(400, 'MissingParameter', (name: string) => `The input parameter "${name}" that is mandatory for processing this request is not supplied.`),
  invalidParameter: defineError(400, 'InvalidParameter', (name: string, why: string) => `The specified parameter ${name} is not valid.${why ? ` ${why}` : ''}`),
  idempotentParameterMismatch: defineError(400, 'IdempotentParameterMismatch', () => 'The request uses the same client token as a previous, but non-identical request. Do not reuse a client token with different requests, unless the requests are identical.'),
  badBody: defineError(400, 'InvalidParameter', (why: string) => `The request body cannot be read: ${why}`),
  bodyTooLarge: defineError(413, 'RequestEntityTooLarge', (limit: number) => `The request body is larger than ${limit} bytes.`),
  internalError: defineError(500, 'InternalError', () => 'The request processing has failed due to some unknown error, exception or failure.'),
  serviceUnavailable: defineError(503, 'ServiceUnavailable', () => 'The request has failed due to a temporary failure of the server.'),
};
