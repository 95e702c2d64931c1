// Types of the values test/support/global-setup.ts provides to tests via inject().
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    endpoint: string;
    emulatorKind: string;
  }
}
