import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRegionName, parseAwsProfiles } from '../../../src/extension/platform/aws-config';

const CONFIG = `
[default]
region = us-east-1

[profile dev-sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Dev
region = eu-west-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile legacy-sso]
sso_start_url = https://old.awsapps.com/start ; comment
sso_region = us-east-1

[profile deployer]
role_arn = arn:aws:iam::123456789012:role/deploy
source_profile = default
`;
const CREDENTIALS = `
[default]
aws_access_key_id = AKIAEXAMPLEKEY
aws_secret_access_key = SECRETVALUE123
[ci]
aws_access_key_id = AKIAOTHER
aws_secret_access_key = OTHERSECRET
aws_session_token = TOKENVALUE
`;

describe('AWS shared config files', () => {
  const profiles = parseAwsProfiles(CONFIG, CREDENTIALS);

  it('lists profiles from both files, default first, SSO sessions not as profiles', () => {
    assert.deepEqual(
      profiles.map((p) => p.name),
      ['default', 'ci', 'deployer', 'dev-sso', 'legacy-sso'],
    );
  });

  it('says how each signs in and keeps its region', () => {
    const by = Object.fromEntries(profiles.map((p) => [p.name, p]));
    assert.deepEqual(by['dev-sso'], { name: 'dev-sso', kind: 'sso', region: 'eu-west-1' });
    assert.equal(by['legacy-sso'].kind, 'sso');
    assert.equal(by.deployer.kind, 'role');
    assert.deepEqual(by.default, { name: 'default', kind: 'keys', region: 'us-east-1' });
    assert.equal(by.ci.region, undefined);
  });

  it('never carries a secret value', () => {
    const text = JSON.stringify(profiles);
    for (const secret of ['AKIAEXAMPLEKEY', 'SECRETVALUE123', 'AKIAOTHER', 'OTHERSECRET', 'TOKENVALUE', 'awsapps'])
      assert.ok(!text.includes(secret), secret);
  });

  it('handles missing files', () => {
    assert.deepEqual(parseAwsProfiles('', ''), []);
  });

  it('recognizes region names', () => {
    assert.deepEqual(['us-east-1', 'eu-central-2', 'us-gov-west-1', 'useast1', 'US-EAST-1', ''].map(isRegionName), [
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
