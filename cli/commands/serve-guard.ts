import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { userInfo } from 'node:os';
import { errorResult, type ApiResult } from '../../shared/api/http.js';

/** The token writes must carry, and the caller a request bearing it is recorded as. */
export interface ServeAccess {
  token: string;
  caller: string;
}

const LOOPBACK = ['127.0.0.1', '::1', 'localhost'];
const WILDCARD = ['0.0.0.0', '::'];
const READ_METHODS = ['GET', 'HEAD'];

export const isLoopback = (host: string): boolean => LOOPBACK.includes(host);

/** `local:<os user>`: who holds the store's token on this machine. */
export function localCaller(): string {
  try {
    return `local:${userInfo().username}`;
  } catch {
    return `local:${process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown user'}`;
  }
}

/** Host names (as a Host header writes them) that address a server bound to `bound`. */
function hostNamesFor(bound: string): (name: string) => boolean {
  if (bound === '127.0.0.1') return (n) => n === '127.0.0.1' || n === 'localhost';
  if (bound === '::1') return (n) => n === '[::1]' || n === 'localhost';
  if (bound === 'localhost') return (n) => n === 'localhost' || n === '127.0.0.1' || n === '[::1]';
  // Bound to every interface: DNS rebinding needs a name, so IP literals are safe and names are not.
  if (WILDCARD.includes(bound)) return (n) => n === 'localhost' || isIP(n.replace(/^\[|\]$/g, '')) !== 0;
  const literal = isIP(bound) === 6 ? `[${bound}]` : bound.toLowerCase();
  return (n) => n === literal;
}

/** Whether a Host header names this server (its bound address and port). */
export function hostMatches(header: string | undefined, bound: string, port: number): boolean {
  if (!header) return false;
  let url: URL;
  try {
    url = new URL(`http://${header}`);
  } catch {
    return false;
  }
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return false;
  return hostNamesFor(bound)(url.hostname.toLowerCase()) && (url.port || '80') === String(port);
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Why a request must not reach the API, as the response to send, or undefined to let it through:
 * a foreign Host header (421), a write without the store's token (401), and — when bound beyond
 * loopback — any request without it, except the dashboard's own files (`page`): they hold no
 * data, and a browser cannot send the token with a page load; the page then asks for it.
 */
export function refuseRequest(
  req: IncomingMessage,
  server: { host: string; port: number; access: ServeAccess },
  request: { page?: boolean } = {},
): ApiResult | undefined {
  const expected = server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
  if (!hostMatches(req.headers.host, server.host, server.port)) {
    return errorResult(
      421,
      `Host '${(req.headers.host ?? '').slice(0, 100)}' is not this server (${expected}): refused, a page on another site may be rebinding its name to this address`,
    );
  }
  const isRead = READ_METHODS.includes((req.method ?? 'GET').toUpperCase());
  const authorization = req.headers.authorization;
  if (authorization !== undefined && !bearerMatches(authorization, server.access.token)) {
    return errorResult(401, 'Authorization: not the token of this store', { 'www-authenticate': 'Bearer' });
  }
  if (authorization === undefined && (!isRead || !(isLoopback(server.host) || request.page))) {
    const what = isRead ? 'every request (the server listens beyond loopback)' : 'changes';
    return errorResult(
      401,
      `${what} need Authorization: Bearer <token>; the token is in the store folder (serve-token) and printed when serve starts`,
      { 'www-authenticate': 'Bearer' },
    );
  }
  return undefined;
}
