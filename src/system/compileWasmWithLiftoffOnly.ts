import { setFlagsFromString } from 'node:v8';

/**
 * Has V8 compile WebAssembly with its baseline compiler (Liftoff) only. The embedded database (PGlite) is
 * Postgres compiled to WebAssembly, and by default V8 compiles it twice: at once with Liftoff, then again
 * optimised (TurboFan) on background threads, ~1 s of CPU at every start. Liftoff alone starts ~40 % faster,
 * and queries of this catalog measured no slower (README, Performance). Call it before the first module is
 * compiled, which is when the store opens; `src/main.ts` does, the tests keep V8's default.
 */
export function compileWasmWithLiftoffOnly(): void {
  setFlagsFromString('--liftoff-only');
}
