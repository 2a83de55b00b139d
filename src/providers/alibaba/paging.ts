/** NextToken paging: an opaque token naming the offset of the next page; "" on the last page. */
import { AlibabaError, protocolErrors } from './errors.js';

const PREFIX = 'nt1:';

export function encodeNextToken(offset: number): string {
  return Buffer.from(`${PREFIX}${offset}`).toString('base64url');
}

export function decodeNextToken(token: string | undefined, invalid: (name: string, why: string) => AlibabaError = protocolErrors.invalidParameter): number {
  if (token === undefined || token === '') return 0;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const m = new RegExp(`^${PREFIX}(\\d{1,9})$`).exec(text);
  if (!m) throw invalid('NextToken', 'It is not a token this API returned.');
  return Number(m[1]);
}

/** One page of `items` from `NextToken`, and the token of the next page ("" when none). */
export function page<T>(items: readonly T[], nextToken: string | undefined, limit: number, invalid?: (name: string, why: string) => AlibabaError): { items: T[]; nextToken: string } {
  const offset = decodeNextToken(nextToken, invalid);
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? encodeNextToken(offset + limit) : '';
  return { items: slice, nextToken: next };
}
