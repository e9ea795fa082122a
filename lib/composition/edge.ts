/**
 * The Lambda edge every function's middy chain uses (functions/*.ts):
 *
 *   injectLambdaContext ─► the process logger's lines carry the request id, function name,
 *                          cold start flag (keys appended during an invocation are reset after it)
 *   logMetrics (opt-in)  ─► what the handler added to `metrics` is published once per
 *                          invocation as one CloudWatch Embedded Metric Format line
 *   tracing (opt-in)     ─► X-Ray through Powertools' Tracer (captureLambdaHandler), in
 *                          bundles built with serverless.yml's param `tracing: Active` only
 *                          (see SBPMN_TRACING): the tracer and the X-Ray SDK cost ~25 ms of
 *                          CPU at import even when unused, so the default build leaves them out
 *
 * https://docs.powertools.aws.dev/lambda/typescript/latest/
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { MiddlewareObj, Request } from '@middy/core';
import { processLogger, SERVICE_NAME } from '../adapters/logger.ts';

/** Metrics in namespace `sbpmn` (as before), dimension `service`. */
export const metrics = new Metrics({ namespace: 'sbpmn', serviceName: SERVICE_NAME });

/** Adds counts (unit Count) for this invocation; published by the `metrics: true` middleware after the handler. */
export function addCounts(counts: Record<string, number>): void {
  for (const [name, value] of Object.entries(counts)) metrics.addMetric(name, MetricUnit.Count, value);
}

/**
 * Set at build time by serverless.yml (custom.esbuild.define, from param `tracing`):
 * 'Active' or 'PassThrough'. Undefined when the source runs as is (npm start, tests). Being a
 * constant, esbuild drops the tracer branch, and with it the tracer's import, when not 'Active'.
 */
declare const SBPMN_TRACING: string | undefined;

/**
 * X-Ray, loaded lazily: the middleware delegates to captureLambdaHandler once the first
 * invocation has imported it. Response bodies are not recorded (they may hold process data).
 */
function tracing(): MiddlewareObj {
  let loaded: Promise<MiddlewareObj> | null = null;
  const load = () => {
    loaded ??= Promise.all([import('@aws-lambda-powertools/tracer'), import('@aws-lambda-powertools/tracer/middleware')])
      .then(([{ Tracer }, { captureLambdaHandler }]) => captureLambdaHandler(new Tracer({ serviceName: SERVICE_NAME }), { captureResponse: false }));
    return loaded;
  };
  return {
    before: async (request: Request) => { await (await load()).before?.(request); },
    after: async (request: Request) => { await (await load()).after?.(request); },
    onError: async (request: Request) => { await (await load()).onError?.(request); },
  };
}

export interface EdgeOptions {
  /** Publish `metrics` after each invocation (only for handlers that add some: an empty set is a warning). */
  metrics?: boolean;
}

/**
 * The middlewares of a function, outermost first.
 *
 * @example export const handler = middy<SQSEvent, SQSBatchResponse>().use(edge({ metrics: true })).handler(...)
 */
export function edge(options: EdgeOptions = {}): MiddlewareObj[] {
  const chain: MiddlewareObj[] = [injectLambdaContext(processLogger(), { resetKeys: true }) as MiddlewareObj];
  // Written out (not a named constant) so that esbuild folds it and drops the dead branch.
  if (typeof SBPMN_TRACING !== 'undefined' && SBPMN_TRACING === 'Active') chain.push(tracing());
  if (options.metrics) chain.push(logMetrics(metrics) as MiddlewareObj);
  return chain;
}
