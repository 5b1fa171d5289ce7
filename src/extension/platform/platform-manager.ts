// The platform the extension runs on: the embedded local platform (started on demand, kept in
// `.propack/local` so deployed functions persist) or AWS with a profile and region from the settings.
// Credentials come from the SDK's provider chain for that profile; nothing here reads or keeps them.
import * as vscode from 'vscode';
import { LOCAL_PLATFORM_FOLDER } from '../../core/workspace-layout';
import { openSession, type Session } from '../../engine/session';
import { startLocalPlatform, type LocalPlatform } from '../../local';
import { localTarget, type PlatformTarget } from '../../platform';
import { currentSettings } from '../settings-access';

/** Local provisioning preset: ProPack's measured AWS 2021 start rate, so local profiles look like AWS. */
export const LOCAL_PRESET = 'aws-2021';

/** A session on the chosen platform and a label for people. */
export interface PlatformConnection {
  session: Session;
  label: string;
  kind: 'local' | 'aws';
}

/** "local" or "aws:<profile>@<region>" from the settings. */
export function platformLabel(): string {
  const s = currentSettings();
  return s.platform === 'aws' ? `aws:${s.awsProfile}@${s.region}` : 'local';
}

/** Owns the embedded local platform and hands out sessions on the selected platform. */
export class PlatformManager implements vscode.Disposable {
  private local: Promise<LocalPlatform> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the local platform starts or stops. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Whether the embedded platform is running (or starting). */
  get localRunning(): boolean {
    return this.local !== undefined;
  }

  /** Starts the embedded platform once; later calls return the same one. */
  startLocal(): Promise<LocalPlatform> {
    if (!this.local) {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const dataDir = folder ? vscode.Uri.joinPath(folder.uri, LOCAL_PLATFORM_FOLDER).fsPath : undefined;
      const started = startLocalPlatform({ preset: LOCAL_PRESET, timeScale: 1, ...(dataDir ? { dataDir } : {}) });
      this.local = started;
      started.then(
        (p) => {
          this.log.info(`local platform started: Lambda ${p.lambdaEndpoint}, S3 ${p.s3Endpoint}, data in ${p.dataDir}`);
          this.changed.fire();
        },
        (e: unknown) => {
          this.local = undefined;
          this.log.error(`local platform did not start: ${e instanceof Error ? e.message : String(e)}`);
          this.changed.fire();
        },
      );
    }
    return this.local;
  }

  /** Stops the embedded platform (draining in-flight work); false when it was not running. */
  async stopLocal(): Promise<boolean> {
    const running = this.local;
    if (!running) return false;
    this.local = undefined;
    await (await running).stop();
    this.log.info('local platform stopped');
    this.changed.fire();
    return true;
  }

  /** A session on the platform the settings select; the caller closes it. */
  async connect(): Promise<PlatformConnection> {
    const s = currentSettings();
    let target: PlatformTarget;
    if (s.platform === 'aws') {
      target = { kind: 'aws', profile: s.awsProfile, region: s.region };
    } else {
      const p = await this.startLocal();
      target = localTarget(p);
    }
    return { session: openSession(target), label: platformLabel(), kind: s.platform };
  }

  dispose(): void {
    void this.stopLocal();
    this.changed.dispose();
  }
}

/** A user-facing explanation of an AWS error, with what to run when the SSO session expired. */
export function explainAwsError(e: unknown, profile: string): string {
  const message = e instanceof Error ? e.message : String(e);
  const name = e instanceof Error ? e.name : '';
  // A template's own one-line reason ("...ImageProcessor..." would match /sso/ below) is not an AWS error.
  if (name === 'SettingsError' || name === 'DeploymentFileError') return message;
  if (/sso|token.*(expired|invalid)|refresh/i.test(message) || /TokenProviderError|SSOTokenProviderFailure/.test(name)) {
    return `the AWS SSO session for profile "${profile}" has expired or is missing: run "aws sso login --profile ${profile}" and try again.`;
  }
  if (/Could not load credentials|CredentialsProviderError/i.test(message + name)) {
    return `no AWS credentials for profile "${profile}": configure it with "aws configure --profile ${profile}" (or "aws configure sso").`;
  }
  return message;
}
