// The platform the extension runs on: the embedded local platform (started on demand, kept in
// `.propack/local` so deployed functions persist) or AWS with a profile and region from the settings.
// Credentials come from the SDK's provider chain for that profile; nothing here reads or keeps them.
import * as vscode from 'vscode';
import { LOCAL_PLATFORM_FOLDER } from '../../core/workspace-layout';
import { openSession, type Session } from '../../engine/session';
import { startLocalPlatform, type LocalPlatform } from '../../local';
import { localTarget, type PlatformTarget } from '../../platform';
import { currentSettings } from '../settings-access';
// Pure, in its own module so it is unit-tested; re-exported for the callers that import it here.
export { explainAwsError } from './aws-errors';

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
