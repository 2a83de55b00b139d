/**
 * The two signatures Alibaba's clients send: ACS3-HMAC-SHA256 in the Authorization header
 * (generated SDKs) and the RPC HMAC-SHA1 `Signature` param (pop-core, and the generated SDKs with
 * `signatureAlgorithm: 'v2'`). Both recomputed exactly as the clients compute them.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { own } from '../lookup.js';

/** encodeURIComponent plus the characters Alibaba's percent-encoding also escapes. */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface Acs3Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`; undefined when malformed. */
export function parseAcs3(header: string): Acs3Authorization | undefined {
  const m = /^ACS3-HMAC-SHA256\s+(.*)$/.exec(header.trim());
  if (!m) return undefined;
  const fields = new Map<string, string>();
  for (const part of m[1]!.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) return undefined;
  return { accessKeyId: credential, signedHeaders: signedHeaders.split(';'), signature };
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The ACS3 string to sign for a request (query already decoded). */
export function acs3StringToSign(input: {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  signedHeaders: string[];
  payloadHash: string;
}): string {
  const canonicalQuery = Object.keys(input.query)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(input.query[k]!)}`)
    .join('&');
  const canonicalHeaders = input.signedHeaders
    .map((name) => {
      // A name from the client's SignedHeaders: only a header it sent counts (never an inherited `constructor`).
      const v = own(input.headers, name);
      const value = Array.isArray(v) ? v.join(',') : (v ?? '');
      return `${name}:${value.trim()}\n`;
    })
    .join('');
  const canonicalRequest = [input.method, input.path, canonicalQuery, canonicalHeaders, input.signedHeaders.join(';'), input.payloadHash].join('\n');
  return `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`;
}

export function acs3Signature(secret: string, stringToSign: string): string {
  return createHmac('sha256', secret).update(stringToSign).digest('hex');
}

/** The RPC v1 string to sign: params without `Signature`, sorted and encoded. */
export function rpcStringToSign(method: string, params: Record<string, string>): string {
  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');
  return `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
}

export function rpcSignature(secret: string, stringToSign: string): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
