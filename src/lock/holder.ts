import { hostname, userInfo } from 'node:os';

/** Who holds an apply lock: enough for a person to find the run and decide. */
export interface LockHolder {
  /** Random per acquisition, so a run only ever releases its own lock. */
  token: string;
  stack: string;
  who: string;
  host: string;
  pid: number;
  since: string;
  runUrl?: string;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** In GitHub Actions: the actor and the run's URL; elsewhere: the local user. */
export function holderFromEnv(env: NodeJS.ProcessEnv, stack: string, token: string, now: Date): LockHolder {
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  return {
    token,
    stack,
    who: env.GITHUB_ACTOR ? `${env.GITHUB_ACTOR} (GitHub Actions${env.GITHUB_WORKFLOW ? `, workflow "${env.GITHUB_WORKFLOW}"` : ''})` : safeUser(),
    host: hostname(),
    pid: process.pid,
    since: now.toISOString(),
    ...(runUrl ? { runUrl } : {}),
  };
}

export function describeHolder(holder: Partial<LockHolder>): string {
  const parts = [`${holder.who ?? 'someone'} on ${holder.host ?? 'an unknown host'} (pid ${holder.pid ?? '?'})`, `since ${holder.since ?? 'an unknown time'}`];
  if (holder.runUrl) parts.push(`run ${holder.runUrl}`);
  return parts.join(', ');
}
