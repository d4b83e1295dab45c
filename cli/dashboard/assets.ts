import { readFileSync } from 'node:fs';
import type { ApiResult } from '../../shared/api/http.js';

/**
 * The fleet dashboard `hardline serve` answers at `/`: static files from ./assets (served by this
 * process, no CDN), which read the API of the same origin. The policy allows only this origin's
 * own scripts, styles and requests — no inline script or style, no frames, no forms.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
} as const;

const FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/assets/dashboard.js': 'dashboard.js',
  '/assets/dom.js': 'dom.js',
  '/assets/charts.js': 'charts.js',
  '/assets/finding.js': 'finding.js',
  '/assets/sections.js': 'sections.js',
  '/assets/dashboard.css': 'dashboard.css',
  '/assets/favicon.svg': 'favicon.svg',
};

const HEADERS = {
  'content-security-policy': DASHBOARD_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
} as const;

const loaded = new Map<string, string>();

/** Whether a request is for one of the dashboard's files (read methods only: the dashboard only reads). */
export function isDashboardRequest(method: string, pathname: string): boolean {
  return (method === 'GET' || method === 'HEAD') && pathname in FILES;
}

/** The response for a dashboard file, or undefined when the request is not for one. */
export function dashboardAsset(method: string, pathname: string): ApiResult | undefined {
  if (!isDashboardRequest(method, pathname)) return undefined;
  const file = FILES[pathname]!;
  let body = loaded.get(file);
  if (body === undefined) {
    body = readFileSync(new URL(`./assets/${file}`, import.meta.url), 'utf8');
    loaded.set(file, body);
  }
  const type = TYPES[file.slice(file.lastIndexOf('.') + 1) as keyof typeof TYPES];
  return { statusCode: 200, headers: { ...HEADERS, 'content-type': type }, body };
}
