/**
 * SDK-HMAC-SHA256, the AK/SK signature every official Huawei Cloud SDK sends (API Request Signing
 * Guide; huaweicloud-sdk-core AKSKSigner). Rebuilt here from the request as it arrived:
 *
 *   CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HexSHA256(body)
 *   StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n HexSHA256(CanonicalRequest)
 *   Signature        = Hex(HMAC-SHA256(SK, StringToSign))
 *
 * The last line is the body's hash; a signed X-Sdk-Content-Sha256 may stand in for it (see signedPayload).
 * CanonicalURI is the raw path with each segment URL-encoded and a trailing "/" added; the query is
 * decoded, sorted by key and re-encoded; CanonicalHeaders are "name:value\n" for each signed header.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const ALGORITHM = 'SDK-HMAC-SHA256';
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface ParsedAuthorization {
  access: string;
  signedHeaders: string[];
  signature: string;
}

/** `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex`; undefined when it is not that. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const m = /^SDK-HMAC-SHA256\s+(.*)$/s.exec(header.trim());
  if (!m) return undefined;
  const fields = new Map<string, string>();
  for (const part of m[1]!.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const access = fields.get('Access');
  const signed = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!access || !signed || !signature || !/^[0-9a-fA-F]{64}$/.test(signature)) return undefined;
  return { access, signedHeaders: signed.split(';').map((h) => h.trim().toLowerCase()), signature: signature.toLowerCase() };
}

// The SDK's escaping: everything but A-Z a-z 0-9 - _ . ~ is %XX (UTF-8 bytes, upper-case hex).
export function urlEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function canonicalUri(rawPath: string): string {
  const path = rawPath
    .split('/')
    .map((segment) => urlEncode(segment))
    .join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

export function canonicalQuery(rawQuery: string): string {
  const params = new Map<string, string[]>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const list = params.get(key) ?? [];
    list.push(value);
    params.set(key, list);
  }
  const out: string[] = [];
  for (const key of [...params.keys()].sort()) {
    for (const value of params.get(key)!.sort()) out.push(`${urlEncode(key)}=${urlEncode(value)}`);
  }
  return out.join('&');
}

export interface SignableRequest {
  method: string;
  /** The path as sent, still percent-encoded. */
  rawPath: string;
  /** The query string as sent, without "?". */
  rawQuery: string;
  /** Header values by lower-case name. */
  header(name: string): string | undefined;
  body: Buffer;
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The text that is signed. `headerOrder` is the order of CanonicalHeaders, normally SignedHeaders
 * itself (see verifySignature for when it is not).
 */
export function stringToSign(req: SignableRequest, signedHeaders: readonly string[], sdkDate: string, headerOrder: readonly string[] = signedHeaders, payload: string = payloadHash(req)): string {
  const headers = headerOrder.map((name) => `${name}:${(req.header(name) ?? '').trim()}\n`).join('');
  const canonical = [req.method.toUpperCase(), canonicalUri(req.rawPath), canonicalQuery(req.rawQuery), headers, signedHeaders.join(';'), payload].join('\n');
  return [ALGORITHM, sdkDate, sha256Hex(canonical)].join('\n');
}

export const CONTENT_SHA256 = 'x-sdk-content-sha256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** The SHA-256 of the body as received (hex). */
export function payloadHash(req: SignableRequest): string {
  return req.body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(req.body);
}

/**
 * The payload line of the canonical request, or undefined when the request cannot be trusted.
 * The SDK core (AKSKSigner.buildPayloadHash) puts X-Sdk-Content-Sha256 there instead of the body's
 * hash whenever it sends one, and signs that header with every other. The header may stand in for
 * the body only when it is signed (else a captured signature would carry any body) and says what
 * the body is: its hash, or UNSIGNED-PAYLOAD (the SDK's value for non-JSON bodies) with no body at
 * all. An unsigned header is not part of the signature, so the body's own hash is used.
 */
export function signedPayload(req: SignableRequest, signedHeaders: readonly string[]): string | undefined {
  const actual = payloadHash(req);
  const claimed = req.header(CONTENT_SHA256);
  if (claimed === undefined || !signedHeaders.includes(CONTENT_SHA256)) return actual;
  const value = claimed.trim();
  if (value.toLowerCase() === actual) return value;
  if (value === UNSIGNED_PAYLOAD && req.body.length === 0) return value;
  return undefined;
}

export function sign(secretKey: string, text: string): string {
  return createHmac('sha256', secretKey).update(text).digest('hex');
}

/**
 * True when the signature matches. The headers are tried in the order SignedHeaders lists them
 * and, failing that, in locale order: the Node SDK builds its canonical headers with localeCompare
 * but lists SignedHeaders in code-unit order, and the two differ for some header names.
 */
export function verifySignature(req: SignableRequest, auth: ParsedAuthorization, secretKey: string, sdkDate: string): boolean {
  const payload = signedPayload(req, auth.signedHeaders);
  if (payload === undefined) return false;
  const orders = [auth.signedHeaders];
  const locale = [...auth.signedHeaders].sort((a, b) => a.localeCompare(b));
  if (locale.join(';') !== auth.signedHeaders.join(';')) orders.push(locale);
  const expected = Buffer.from(auth.signature, 'utf8');
  return orders.some((order) => {
    const actual = Buffer.from(sign(secretKey, stringToSign(req, auth.signedHeaders, sdkDate, order, payload)), 'utf8');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  });
}

/** X-Sdk-Date (YYYYMMDDTHHMMSSZ, UTC) in ms, or undefined when it is not in that form. */
export function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return ms;
}

export function formatSdkDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
