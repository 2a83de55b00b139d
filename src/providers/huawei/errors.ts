/**
 * Every error the Huawei side can answer, one factory per code. Three envelopes exist because three
 * different Huawei components answer: the API gateway (APIG, before the service sees the request),
 * IAM (the token call) and KooPhone itself.
 */
export type Envelope = 'koophone' | 'gateway' | 'iam';

/** How the gateway spells its codes: `APIGW.0301` (real responses, signing guide) or `APIG.0301` (APIG user guide FAQ). */
export type GatewayPrefix = 'APIGW' | 'APIG';

export class HuaweiError extends Error {
  constructor(
    readonly envelope: Envelope,
    readonly httpStatus: number,
    /** KooPhone's and IAM's full code; the gateway's number alone (its prefix is a setting). */
    readonly code: string,
    message: string,
    /** The gateway's wording where the APIG user guide's differs from what real APIGW responses say. */
    readonly apigMessage?: string,
  ) {
    super(message);
    this.name = 'HuaweiError';
  }

  /** The code the client sees: a gateway code takes the configured prefix. */
  codeAs(prefix: GatewayPrefix): string {
    return this.envelope === 'gateway' ? `${prefix}.${this.code}` : this.code;
  }

  /** The message the client sees under that prefix's documents. */
  messageAs(prefix: GatewayPrefix): string {
    return prefix === 'APIG' && this.apigMessage !== undefined ? this.apigMessage : this.message;
  }
}

const kp = (status: number, code: string, message: string) => new HuaweiError('koophone', status, `KOOPHONE.API.${code}`, message);

/** KooPhone's own codes (error table + operation pages); messages are the published English texts. */
export const KooPhoneErrors = {
  /** Documented with HTTP 200 in the current table, 400 in older material: the caller picks. */
  missingRequestId: (status: number) => kp(status, '0002', "missing request header 'x-request-id'."),
  parameterIncorrect: () => kp(400, '1000', 'The request parameter is incorrect.'),
  /** 400 per the reboot page, 401 per the older error table: the caller picks. */
  insufficientPermissions: (status: number) => kp(status, '1001', 'Insufficient instance permissions.'),
  /** Only a Chinese text is published (时间请求格式错误); this English one is a translation. */
  timeFormatIncorrect: () => kp(400, '5002', 'The time format in the request is incorrect.'),
  /** Only a Chinese text is published (查询结束日期小于查询起始日期); this English one is a translation. */
  endBeforeStart: () => kp(400, '5004', 'The query end date is earlier than the query start date.'),
  notAllRunning: () => kp(400, '5005', 'Not all instances are running.'),
  /** The error table's state codes (HTTP 200 there, 400 in the operation pages' tables: the caller picks). */
  notSubscribed: (status: number) => kp(status, '1004', 'Services not subscribed.'),
  frozen: (status: number) => kp(status, '2004', 'the instance already frozen.'),
  recovering: (status: number) => kp(status, '2005', 'the instance is in recover.'),
  backingUp: (status: number) => kp(status, '2006', 'the instance is in backup.'),
  internal: () => kp(500, '9999', 'Internal service error.'),
};

const IAM_AUTH = 'Incorrect IAM authentication information';
const gw = (status: number, code: string, message: string, apigMessage?: string) => new HuaweiError('gateway', status, code, message, apigMessage);

/**
 * The API gateway's answers. Wordings are those of real APIGW responses quoted in public issues and
 * of the signing guide; where the APIG user guide FAQ words it otherwise, that text is the second one.
 */
export const GatewayErrors = {
  tokenNotFound: () => gw(401, '0301', `${IAM_AUTH}: x-auth-token not found`),
  decryptTokenFail: () => gw(401, '0301', `${IAM_AUTH}: decrypt token fail`),
  tokenMustBeUpdated: () => gw(401, '0307', 'The token must be updated.'),
  /** A real APIGW answer (2023) says "ak X not exist"; the FAQs "Get secretKey failed,ak:X,err:ak not exist". */
  akNotExist: (ak: string) => gw(401, '0301', `${IAM_AUTH}: ak ${ak} not exist`, `${IAM_AUTH}: Get secretKey failed,ak:${ak},err:ak not exist`),
  signatureFail: () => gw(401, '0301', `${IAM_AUTH}: verify aksk signature fail`),
  /** Worded after the gateway's app-auth "signature expired" answer (APIG.0303), with the IAM prefix. */
  signatureExpired: (signed: string, server: string) => gw(401, '0301', `${IAM_AUTH}: signature expired, signature time:${signed},server time:${server}`),
  /** Not documented: an AK used for a project (X-Project-Id) that is not its own. */
  projectMismatch: () => gw(401, '0301', `${IAM_AUTH}: verify project id fail`),
  /** A real APIGW answer (2022) has no final period; the APIG error table has one. */
  apiNotFound: () => gw(404, '0101', 'The API does not exist or has not been published in the environment', 'The API does not exist or has not been published in the environment.'),
  entityTooLarge: () => gw(413, '0201', 'Request entity too large.'),
  /**
   * APIG's throttling answer (the `throttle` and `rateLimit` fault kinds): documented code and message,
   * status 429 as the gateway FAQs have it. The limit and window are the rule's.
   */
  throttled: (requests: number, windowMs: number) => {
    const time = windowMs === 60_000 ? '1 minute' : windowMs === 1000 ? '1 second' : `${windowMs} ms`;
    return gw(429, '0308', `The throttling threshold has been reached: policy user over ratelimit,limit:${requests},time:${time}`);
  },
};

const iam = (status: number, message: string) => new HuaweiError('iam', status, String(status), message);

/** IAM's token call answers in the Keystone envelope {"error":{"code","message","title"}}. */
export const IamErrors = {
  /** The message text is not published; this is the usual Keystone-style wording. */
  wrongCredentials: () => iam(401, 'The username or password is wrong.'),
  /** A project the user cannot be scoped to (Keystone answers 401 for this). */
  projectNotAllowed: () => iam(401, 'The request you have made requires authentication.'),
  badRequest: (detail: string) => iam(400, `The request body is invalid: ${detail}`),
  /** A method the token URL does not serve here; worded as Keystone's web framework answers a 405. */
  methodNotAllowed: () => iam(405, 'The method is not allowed for the requested URL.'),
  internal: () => iam(500, 'An unexpected error prevented the server from fulfilling your request.'),
};

export const IAM_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
