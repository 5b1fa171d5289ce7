export type { PlatformTarget, LocalTarget, AwsTarget, ClientOptions } from './target';
export { localTarget } from './target';
export { createLambdaClient } from './lambda-client';
export { createS3Client } from './s3-client';
export { createSfnClient } from './sfn-client';
