/** Lambda's OS-only runtimes: the function brings an executable `bootstrap` that speaks the Runtime API. */
export const PROVIDED_RUNTIMES = ['provided.al2023', 'provided.al2'] as const;

/** True when `runtime` is one of Lambda's OS-only (custom runtime) runtimes. */
export function isProvidedRuntime(runtime: string): boolean {
  return (PROVIDED_RUNTIMES as readonly string[]).includes(runtime);
}
