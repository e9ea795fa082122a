/**
 * AWS client configuration from the environment: the same code talks to AWS,
 * LocalStack or the local emulators by endpoint only.
 * `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL_SQS` / `AWS_ENDPOINT_URL` override endpoints
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 */
export interface AwsConfig {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function awsConfig(service: 'DYNAMODB' | 'SQS' | 'SCHEDULER', env: NodeJS.ProcessEnv = process.env): AwsConfig {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] ?? env['AWS_ENDPOINT_URL'];
  const region = env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  if (!endpoint) return { region };
  // Emulators accept any credentials; real ones come from the default provider chain.
  const credentials = env['AWS_ACCESS_KEY_ID']
    ? undefined
    : { accessKeyId: 'local', secretAccessKey: 'local' };
  return credentials ? { region, endpoint, credentials } : { region, endpoint };
}
