import type { Output } from './output.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

export const SIGNAL_EXIT: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Graceful interruption, as Terraform does it: the first SIGINT/SIGTERM only asks the run to
 * stop (no new step starts; steps in flight finish; the lock is released; exit 130/143); a
 * second one exits at once. Installed for the whole of `apply`, so no signal ends it abruptly.
 */
export class Interrupt {
  private received?: StopSignal;
  private readonly notes = new Set<string>();
  private readonly handler = (signal: StopSignal) => this.onSignal(signal);

  constructor(
    private readonly output: Output,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  install(): this {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
    return this;
  }

  dispose(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }

  /** The first signal received, once one was. */
  get signal(): StopSignal | undefined {
    return this.received;
  }

  get exitCode(): number | undefined {
    return this.received ? SIGNAL_EXIT[this.received] : undefined;
  }

  /** Printed if a second signal ends the run at once (e.g. a lock that then stays behind). */
  noteOnForcedExit(note: string): () => void {
    this.notes.add(note);
    return () => this.notes.delete(note);
  }

  private onSignal(signal: StopSignal): void {
    if (this.received) {
      this.output.err(`${signal} received again: exiting now. Steps in flight may or may not have completed; run apply again to finish.`);
      for (const note of this.notes) this.output.err(note);
      this.exit(SIGNAL_EXIT[signal]);
      return;
    }
    this.received = signal;
    this.output.err(`${signal} received: stopping gracefully — no new step starts, steps in flight finish, the rest is skipped. Send it again to exit at once.`);
  }
}
