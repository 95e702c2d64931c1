/// <reference path="./provided.d.ts" />
import type { TestProject } from 'vitest/node';
import { startEmulator } from '../../scripts/emulator.mjs';

// One emulator for the whole run, shared by all workers; tests isolate by unique names and
// must never reset it. Throws (failing the run) when no emulator can be had.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulator = await startEmulator({ log: (message) => console.error(message) });
  project.provide('endpoint', emulator.endpoint);
  project.provide('emulatorKind', emulator.kind);
  return () => emulator.stop();
}
