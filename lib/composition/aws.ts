/**
 * The application over AWS (DynamoDB, SQS, EventBridge Scheduler): what the Lambda
 * handlers (functions/), the local runtime on the emulators and the integration tests run.
 */
import { adapterConfigFromEnv, createAwsAdapters, type AdapterConfig, type AwsAdapters } from '../adapters/wiring.ts';
import { composeApplication, type AppOptions, type Application } from './application.ts';

export type RuntimeConfig = AdapterConfig & Omit<AppOptions, 'sleep'>;

/** The AWS adapters and the application composed over them. */
export interface Runtime extends AwsAdapters, Application {}

export function createRuntime(config: RuntimeConfig): Runtime {
  const adapters = createAwsAdapters(config);
  const options: AppOptions = {
    ...(config.publishLifecycle !== undefined ? { publishLifecycle: config.publishLifecycle } : {}),
    ...(config.defaultEventTtlMs !== undefined ? { defaultEventTtlMs: config.defaultEventTtlMs } : {}),
  };
  return { ...adapters, ...composeApplication(adapters, options) };
}

/**
 * The runtime from the Lambda environment: the adapters' variables (lib/adapters/wiring.ts),
 * PUBLISH_LIFECYCLE=true and EVENTS_DEFAULT_TTL_MS.
 */
export function runtimeFromEnv(env: NodeJS.ProcessEnv = process.env): Runtime {
  return createRuntime({
    ...adapterConfigFromEnv(env),
    publishLifecycle: env['PUBLISH_LIFECYCLE'] === 'true',
    defaultEventTtlMs: Number(env['EVENTS_DEFAULT_TTL_MS'] ?? 0),
  });
}
