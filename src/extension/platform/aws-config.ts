// Lists the AWS profiles of the shared config and credentials files (`~/.aws/config`,
// `~/.aws/credentials`) for the platform picker. Only names, regions and the kind of sign-in are kept:
// secret values are never read into the result. Pure (no `vscode`, no I/O).

/** A profile the user can pick, and how it signs in (for the picker's description). */
export interface AwsProfileInfo {
  name: string;
  region?: string;
  kind: 'sso' | 'keys' | 'role' | 'process' | 'other';
}

/** Keys whose values are never copied anywhere, whatever file they are in. */
const SECRET_KEYS = new Set(['aws_secret_access_key', 'aws_session_token', 'aws_security_token', 'aws_access_key_id']);

/** Sections of an INI text as name → key set plus the region (the only value kept). */
function sections(text: string, isConfig: boolean): Map<string, { keys: Set<string>; region?: string }> {
  const out = new Map<string, { keys: Set<string>; region?: string }>();
  let current: { keys: Set<string>; region?: string } | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      // In config, profiles are "[profile x]" except "[default]"; "[sso-session x]" and others are not profiles.
      let name: string | undefined = header[1];
      if (isConfig) name = name === 'default' ? 'default' : /^profile\s+(.+)$/.exec(name)?.[1]?.trim();
      current = name ? (out.get(name) ?? { keys: new Set<string>() }) : undefined;
      if (name && current) out.set(name, current);
      continue;
    }
    const kv = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (!kv || !current) continue;
    const key = kv[1].toLowerCase();
    current.keys.add(key);
    if (key === 'region' && !SECRET_KEYS.has(key)) current.region = kv[2].trim();
  }
  return out;
}

/** Profiles from the two files' texts (either may be empty), sorted with `default` first. */
export function parseAwsProfiles(configText: string, credentialsText: string): AwsProfileInfo[] {
  const merged = new Map<string, { keys: Set<string>; region?: string }>();
  for (const [isConfig, text] of [
    [true, configText],
    [false, credentialsText],
  ] as const) {
    for (const [name, s] of sections(text, isConfig)) {
      const m = merged.get(name) ?? { keys: new Set<string>() };
      for (const k of s.keys) m.keys.add(k);
      m.region ??= s.region;
      merged.set(name, m);
    }
  }
  const kindOf = (keys: Set<string>): AwsProfileInfo['kind'] =>
    keys.has('sso_session') || keys.has('sso_start_url')
      ? 'sso'
      : keys.has('role_arn')
        ? 'role'
        : keys.has('credential_process')
          ? 'process'
          : keys.has('aws_access_key_id')
            ? 'keys'
            : 'other';
  return [...merged]
    .map(([name, s]) => ({ name, kind: kindOf(s.keys), ...(s.region ? { region: s.region } : {}) }))
    .sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

/** Regions offered when a profile names none (Lambda regions; the user may also type one). */
export const COMMON_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-central-1',
  'eu-north-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-south-1',
  'sa-east-1',
  'ca-central-1',
];

/** Whether `text` looks like an AWS region name (`us-east-1`, `eu-central-2`, `us-gov-west-1`). */
export function isRegionName(text: string): boolean {
  return /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(text);
}
