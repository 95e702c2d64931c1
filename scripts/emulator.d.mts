export type EmulatorKind = 'external' | 'localstack' | 'moto';

export interface Emulator {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:40839 */
  endpoint: string;
  kind: EmulatorKind;
  /** Stops what startEmulator started (a no-op for an external endpoint). */
  stop(): Promise<void>;
}

/**
 * AWS_ENDPOINT_URL if set; else LocalStack when a container engine answers; else moto_server
 * from PATH on a free loopback port. Throws with a how-to message when none is available.
 */
export function startEmulator(options?: { log?: (message: string) => void }): Promise<Emulator>;

/** AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION for the CLI. */
export function emulatorEnv(endpoint: string): {
  AWS_ENDPOINT_URL: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_REGION: string;
};

/** POST /moto-api/reset for moto; a no-op for other kinds. */
export function resetEmulator(endpoint: string, kind: EmulatorKind | string): Promise<void>;

/** True when a Docker-compatible engine answers GET /_ping (DOCKER_HOST or the usual sockets). */
export function containerEngineAnswers(): Promise<boolean>;

/**
 * A private moto_server from PATH on a free loopback port (with MOTO_DISABLE_GLOBAL_CORS=1), for
 * tests that change server-wide settings. Throws when moto_server is not on PATH.
 */
export function startMotoServer(): Promise<Emulator>;
