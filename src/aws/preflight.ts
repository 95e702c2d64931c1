import type { PreflightResponse } from '../resources/s3/cors-preflight.js';

/** The object key preflights are sent for; it need not exist (CORS is decided per bucket). */
export const PROBE_KEY = 'reconcile-verify-preflight';

/**
 * The URL a browser app would upload to: path-style under a custom endpoint (LocalStack, moto),
 * else virtual-hosted on the bucket's regional endpoint. Names with dots are path-style there
 * too, since `*.s3.REGION.amazonaws.com` certificates do not cover them.
 */
export function probeUrl(bucket: string, region: string, endpoint?: string): string {
  if (endpoint) {
    const base = new URL(endpoint);
    base.pathname = `${base.pathname.replace(/\/+$/, '')}/${bucket}/${PROBE_KEY}`;
    base.search = '';
    return base.toString();
  }
  if (bucket.includes('.')) return `https://s3.${region}.amazonaws.com/${bucket}/${PROBE_KEY}`;
  return `https://${bucket}.s3.${region}.amazonaws.com/${PROBE_KEY}`;
}

export interface PreflightRequest {
  url: string;
  origin: string;
  method: string;
  headers: readonly string[];
}

const PREFLIGHT_TIMEOUT_MS = 15_000;

/** Send one CORS preflight (unauthenticated, as a browser sends it). */
export async function sendPreflight(request: PreflightRequest): Promise<PreflightResponse> {
  const headers: Record<string, string> = {
    Origin: request.origin,
    'Access-Control-Request-Method': request.method,
  };
  if (request.headers.length > 0) headers['Access-Control-Request-Headers'] = request.headers.join(',');
  const response = await fetch(request.url, {
    method: 'OPTIONS',
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(PREFLIGHT_TIMEOUT_MS),
  });
  const body = await response.text();
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  const errorCode = response.ok ? undefined : /<Code>([^<]{1,64})<\/Code>/.exec(body)?.[1];
  return { status: response.status, headers: out, ...(errorCode ? { errorCode } : {}) };
}
