// ProPack: Select Platform — Local, or an AWS profile (from the shared config and credentials files,
// SSO profiles included) and a region. Writes propack.platform / awsProfile / region.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { COMMON_REGIONS, isRegionName, parseAwsProfiles, type AwsProfileInfo } from '../platform/aws-config';

/** Reads a file that may not exist; only profile names, regions and key names are taken from it. */
function readIfExists(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The AWS profiles of this machine's shared config files (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE honoured). */
export function localAwsProfiles(): AwsProfileInfo[] {
  const config = process.env.AWS_CONFIG_FILE ?? path.join(os.homedir(), '.aws', 'config');
  const credentials = process.env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(os.homedir(), '.aws', 'credentials');
  return parseAwsProfiles(readIfExists(config), readIfExists(credentials));
}

/** A choice given directly (tests, other commands) instead of asked. */
interface PlatformChoice {
  platform: 'local' | 'aws';
  profile?: string;
  region?: string;
}

function asChoice(arg: unknown): PlatformChoice | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as Partial<PlatformChoice>;
  return a.platform === 'local' || a.platform === 'aws' ? { platform: a.platform, profile: a.profile, region: a.region } : undefined;
}

async function ask(): Promise<PlatformChoice | undefined> {
  const profiles = localAwsProfiles();
  const items: (vscode.QuickPickItem & { choice?: PlatformChoice; profile?: AwsProfileInfo })[] = [
    { label: '$(vm) Local', description: 'embedded local platform, no account needed', choice: { platform: 'local' } },
    { label: 'AWS profiles', kind: vscode.QuickPickItemKind.Separator },
    ...profiles.map((p) => ({
      label: `$(cloud) ${p.name}`,
      description: [p.kind === 'sso' ? 'SSO' : p.kind, p.region].filter(Boolean).join(' · '),
      profile: p,
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'ProPack: run on',
    placeHolder: profiles.length ? 'Local or an AWS profile' : 'Local (no AWS profile found in ~/.aws/config or ~/.aws/credentials)',
  });
  if (!picked) return undefined;
  if (picked.choice) return picked.choice;
  const profile = picked.profile as AwsProfileInfo;
  const regions = [...new Set([profile.region, ...COMMON_REGIONS].filter((r): r is string => Boolean(r)))];
  const region = await vscode.window.showQuickPick(
    regions.map((r) => ({ label: r, description: r === profile.region ? "profile's region" : undefined })),
    { title: `ProPack: region for ${profile.name}` },
  );
  return region ? { platform: 'aws', profile: profile.name, region: region.label } : undefined;
}

/** Selects the platform; returns the choice written to the settings, or undefined when cancelled. */
export async function selectPlatformCommand(arg: unknown, log: vscode.LogOutputChannel): Promise<PlatformChoice | undefined> {
  const choice = asChoice(arg) ?? (await ask());
  if (!choice) return undefined;
  if (choice.platform === 'aws' && (!choice.profile || !choice.region || !isRegionName(choice.region))) {
    void vscode.window.showErrorMessage('ProPack: an AWS platform needs a profile and a region like us-east-1.');
    return undefined;
  }
  const config = vscode.workspace.getConfiguration('propack');
  const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('platform', choice.platform, target);
  if (choice.platform === 'aws') {
    await config.update('awsProfile', choice.profile, target);
    await config.update('region', choice.region, target);
  }
  log.info(`platform: ${choice.platform === 'aws' ? `aws:${choice.profile}@${choice.region}` : 'local'}`);
  return choice;
}
