// One-line explanations of AWS errors for notifications. Pure (no `vscode`), so unit-tested.

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
