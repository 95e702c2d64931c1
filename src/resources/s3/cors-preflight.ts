import type { CorsRequest } from './cors-eval.js';

/** What came back from an OPTIONS preflight; header names lower case. */
export interface PreflightResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** S3's error code from the answer's body (`NoSuchBucket`, `AccessForbidden`), when it sent one. */
  errorCode?: string;
}

/** One reason a browser would refuse (or an app would be hampered by) the preflight answer. */
export interface PreflightProblem {
  /** The response header at fault, or `status`. */
  header: string;
  problem: string;
}

function tokens(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '');
}

function shown(value: string | undefined): string {
  return value === undefined ? 'absent' : `"${value}"`;
}

/**
 * Judge a live preflight answer as a browser would (Fetch standard, CORS-preflight fetch), and
 * check it exposes `exposeHeaders` (what the answering rule declares). Stricter than a browser in one way: the
 * method must be listed even for GET/HEAD/POST, since S3 lists the matched rule's methods.
 */
export function judgePreflight(request: CorsRequest, exposeHeaders: readonly string[], response: PreflightResponse): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const header = (name: string): string | undefined => response.headers[name];

  if (response.status < 200 || response.status > 299) {
    // the browser stops here; the CORS headers of a refusal say nothing more
    if (response.errorCode === 'NoSuchBucket') return [{ header: 'status', problem: `HTTP ${response.status} NoSuchBucket: the bucket does not exist (run apply first)` }];
    const code = response.errorCode ? ` ${response.errorCode}` : '';
    return [{ header: 'status', problem: `HTTP ${response.status}${code}; a preflight needs a 2xx answer` }];
  }

  const allowOrigin = header('access-control-allow-origin');
  if (allowOrigin !== '*' && allowOrigin !== request.origin) {
    // the browser stops here too: without an allowed origin nothing else in the answer counts
    return [{ header: 'Access-Control-Allow-Origin', problem: `${shown(allowOrigin)}, expected "${request.origin}" or "*"` }];
  }

  const methods = tokens(header('access-control-allow-methods'));
  if (!methods.includes(request.method) && !methods.includes('*')) {
    problems.push({ header: 'Access-Control-Allow-Methods', problem: `${shown(header('access-control-allow-methods'))} does not list ${request.method}` });
  }

  const allowedHeaders = tokens(header('access-control-allow-headers')).map((h) => h.toLowerCase());
  const missingHeaders = (request.headers ?? []).filter((h) => !allowedHeaders.includes(h.toLowerCase()) && !allowedHeaders.includes('*'));
  if (missingHeaders.length > 0) {
    problems.push({ header: 'Access-Control-Allow-Headers', problem: `${shown(header('access-control-allow-headers'))} does not list ${missingHeaders.join(', ')}` });
  }

  const exposed = tokens(header('access-control-expose-headers')).map((h) => h.toLowerCase());
  const unexposed = exposeHeaders.filter((h) => !exposed.includes(h.toLowerCase()) && !exposed.includes('*'));
  if (unexposed.length > 0) {
    problems.push({ header: 'Access-Control-Expose-Headers', problem: `${shown(header('access-control-expose-headers'))} does not list ${unexposed.join(', ')}` });
  }
  return problems;
}
