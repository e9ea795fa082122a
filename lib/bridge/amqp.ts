/**
 * What both directions of the RabbitMQ bridge share: the topology names, and the broker
 * URL (on AWS: Amazon MQ's endpoint, with the username and password of the same Secrets
 * Manager secret the MQ event source uses).
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export const TOPOLOGY = {
  /** Inbound: producers publish events here (topic exchange, durable). */
  inboundExchange: 'sbpmn.in',
  /** Inbound: the durable queue the bridge consumes, bound to the exchange with `#`. */
  inboundQueue: 'sbpmn.inbound',
  inboundBinding: '#',
  /** Outbound: process messages are published here, routing key = message name. */
  outboundExchange: 'sbpmn.out',
} as const;

export interface BrokerCredentials {
  username: string;
  password: string;
}

/** `amqps://host:5671` + credentials -> `amqps://user:pass@host:5671` (both URL-encoded). */
export function withCredentials(url: string, credentials: BrokerCredentials): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(credentials.username);
  parsed.password = encodeURIComponent(credentials.password);
  return parsed.toString();
}

/**
 * Reads an Amazon MQ basic-auth secret: JSON `{ "username": ..., "password": ... }`.
 * The Secrets Manager SDK is imported here, on first use, so only a function that reads a
 * secret loads it (and only when it connects, not at cold start).
 */
export async function readSecret(secretArn: string, client?: SecretsManagerClient): Promise<BrokerCredentials> {
  const { GetSecretValueCommand, SecretsManagerClient: Client } = await import('@aws-sdk/client-secrets-manager');
  const out = await (client ?? new Client({})).send(new GetSecretValueCommand({ SecretId: secretArn }));
  const value = JSON.parse(out.SecretString ?? '{}') as Partial<BrokerCredentials>;
  if (typeof value.username !== 'string' || typeof value.password !== 'string') throw new Error(`secret ${secretArn} has no username and password`);
  return { username: value.username, password: value.password };
}

/**
 * The broker URL from the environment: RABBITMQ_URL, with the credentials of
 * RABBITMQ_SECRET_ARN when that is set (so no password sits in an environment variable).
 *
 * @example await brokerUrl({ RABBITMQ_URL: 'amqp://guest:guest@localhost:5672' }) // 'amqp://guest:guest@localhost:5672'
 */
export async function brokerUrl(env: NodeJS.ProcessEnv = process.env, secret: (arn: string) => Promise<BrokerCredentials> = readSecret): Promise<string> {
  const url = env['RABBITMQ_URL'];
  if (!url) throw new Error('environment variable RABBITMQ_URL is not set');
  const arn = env['RABBITMQ_SECRET_ARN'];
  return arn ? withCredentials(url, await secret(arn)) : url;
}

/** Exponential backoff with full jitter, capped. */
export function backoff(attempt: number, baseMs = 100, maxMs = 5_000): number {
  return Math.random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
