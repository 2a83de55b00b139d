/**
 * Who may use the control plane. It can wipe or rewrite the sandbox, so a web page the developer
 * happens to visit must not reach it: a cross-site request carries a foreign Origin, and a DNS
 * rebinding attack a Host that is not the emulator's. Provider routes are not checked here (SDKs
 * send the cloud's host names). An optional bearer token guards a sandbox shared on a network.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { ResolvedConfig } from '../config.js';

export interface AccessRefusal {
  status: 401 | 403;
  message: string;
  headers?: Record<string, string>;
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]']);

/** The host name of a Host header value (`name`, `name:port`, `[v6]`, `[v6]:port`), lower case. */
export function hostNameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(0, end + 1);
  }
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

export class ControlAccess {
  private readonly names: Set<string>;
  private readonly anyHost: boolean;
  private readonly tokenDigest?: Buffer;

  constructor(config: Pick<ResolvedConfig, 'host' | 'allowedHosts' | 'controlToken'>) {
    this.anyHost = config.allowedHosts.includes('*');
    const bound = config.host.toLowerCase();
    const boundName = bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound;
    this.names = new Set([...LOOPBACK, ...(WILDCARD_ADDRESSES.has(boundName) ? [] : [boundName]), ...config.allowedHosts]);
    if (config.controlToken !== undefined) this.tokenDigest = digest(config.controlToken);
  }

  /** Why this control-plane request is refused, or undefined if it may go on. */
  check(req: Request, path: string): AccessRefusal | undefined {
    const refusal = this.checkPage(req);
    if (refusal) return refusal;
    if (this.tokenDigest && path !== '/health') {
      const m = /^Bearer ([\x21-\x7e]+)$/.exec(req.headers.authorization ?? '');
      // Digests of equal length, compared in constant time: the comparison tells nothing about the token.
      if (!m || !timingSafeEqual(digest(m[1]!), this.tokenDigest)) {
        return { status: 401, message: 'the control plane needs Authorization: Bearer <the --control-token>', headers: { 'WWW-Authenticate': 'Bearer realm="cloud-api-emulator control plane"' } };
      }
    }
    return undefined;
  }

  /**
   * The Host and Origin checks alone: for the dashboard's static files, which hold no data (the
   * token guards the calls the page makes) but must not be served to a rebinding page either.
   */
  checkPage(req: Request): AccessRefusal | undefined {
    const host = req.headers.host;
    // No Host at all is not a browser (browsers always send one): nothing to rebind.
    const hostName = host === undefined ? undefined : hostNameOf(host);
    if (hostName !== undefined && !this.anyHost && !this.names.has(hostName)) {
      return { status: 403, message: `the control plane does not answer Host "${host}" (it answers ${[...this.names].join(', ')}; add a name with --allowed-hosts, or '*' in a container)` };
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.originAllowed(origin, hostName)) {
      return { status: 403, message: `the control plane refuses requests from pages of another origin (Origin "${origin}")` };
    }
    return undefined;
  }

  /** A page of the emulator's own names (any port), or of the very host the request was sent to. */
  private originAllowed(origin: string, hostName: string | undefined): boolean {
    let name: string;
    try {
      const url = new URL(origin);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
      name = url.hostname.toLowerCase();
    } catch {
      return false; // "null" (sandboxed frames, file: pages) and anything unparsable
    }
    return this.names.has(name) || name === hostName;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
