// Which reader a deployment file takes, by its name, and the name a handler goes by. Pure.
import type { DeclaredFunction } from './declared';
import { parseSamTemplate, type TemplateOptions } from './sam-template';
import { parseServerlessYml } from './serverless-yml';

/** Whether a path names a deployment file ProPack reads: template.y*ml, serverless.y*ml, cdk.out/<Stack>.template.json. */
export function isDeploymentFile(file: string): boolean {
  return /(^|[\\/])(template\.ya?ml|serverless\.ya?ml)$/.test(file) || isCdkTemplate(file);
}

/** A CDK app's synthesized template: `cdk.out/<Stack>.template.json`. */
export function isCdkTemplate(file: string): boolean {
  return /(^|[\\/])cdk\.out[\\/][^\\/]+\.template\.json$/.test(file);
}

/** The functions of `file` (a deployment file by its name); throws DeploymentFileError. */
export function parseDeploymentFile(file: string, text: string, options: TemplateOptions = {}): DeclaredFunction[] {
  return /(^|[\\/])serverless\.ya?ml$/.test(file) ? parseServerlessYml(text, file) : parseSamTemplate(text, file, options);
}

/**
 * The function name a handler goes by: the declared function whose module is `relativeModule` (path
 * from the deployment file's folder, no extension) and export is `exportName`; else the file's base name.
 */
export function functionNameFor(
  relativeModule: string,
  exportName: string,
  declared: readonly Pick<DeclaredFunction, 'functionName' | 'modulePath' | 'exportName'>[],
): string {
  const hit = declared.find((d) => d.modulePath === relativeModule && d.exportName === exportName);
  return hit ? hit.functionName : (relativeModule.split('/').pop() ?? relativeModule);
}
