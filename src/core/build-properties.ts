/**
 * How a Node function is bundled: the esbuild settings a template declares (SAM `Metadata.BuildProperties`
 * with `BuildMethod: esbuild`, CDK `NodejsFunction` bundling, or flags). The template readers produce it;
 * the bundler consumes it. Every field is optional; absent means the bundler's default.
 */
export interface NodeBuildProperties {
  /** Entry point files relative to the code folder (SAM `EntryPoints`); the handler's module when absent. */
  entryPoints?: string[];
  /** Module names left out of the bundle (SAM `External`), e.g. `pg-native`. */
  external?: string[];
  /** Output module format; follows the entry point (ESM for `.mjs`/`"type": "module"`) when absent. */
  format?: 'cjs' | 'esm';
  minify?: boolean;
  /** Source maps, on by default so a failing task's stack names the user's source line. */
  sourcemap?: boolean;
  /** esbuild target, e.g. `es2020` or `node20`. */
  target?: string;
  /** Bundle `@aws-sdk/*` into the package instead of using the copy the Lambda runtime provides. */
  bundleAwsSdk?: boolean;
}
