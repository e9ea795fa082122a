/**
 * `npm start`: the whole engine on this machine, on its embedded default (the AWS
 * emulators), with the examples deployed and workers for their job types.
 *
 *   npm start                  data kept in .data/ between runs
 *   npm start -- --fresh       start from empty
 *   npm start -- --port 8080   another port (or PORT=8080)
 *   npm start -- --no-workers  no simulated workers for the example's jobs
 *   npm start -- --in-memory   no emulators: the memory adapters (lib/local/memory.ts), nothing kept
 *
 * The web page (ui/) is built first when ui/dist is missing or stale, and served at `/`.
 */
import { fileURLToPath } from 'node:url';
import { startExampleWorkers } from './example-workers.ts';
import { startMemoryLocal } from './memory.ts';
import { startLocal } from './runtime.ts';
import { ensureUiBuilt, uiStatics } from './static.ts';

function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(option('port') ?? process.env['PORT'] ?? 3000);
  const apiToken = option('token') ?? process.env['API_TOKEN'];
  // The page is optional: without it (no Vite, a failed build) the API still starts.
  const page = await ensureUiBuilt((line) => console.log(line)).then(() => true, (error: unknown) => {
    console.warn(`the web page could not be built (${error instanceof Error ? error.message : String(error)}); the API starts without it`);
    return false;
  });
  const inMemory = flag('in-memory');
  const rabbitmq = inMemory ? undefined : process.env['RABBITMQ_URL'];
  console.log(`starting serverless-bpmn locally (${inMemory ? 'in memory, no emulators' : `DynamoDB Local + SQS emulator${rabbitmq ? ' + RabbitMQ bridges' : ''}`})...`);
  const statics = page ? { statics: uiStatics() } : {};
  const local = inMemory
    ? await startMemoryLocal({ port, ...statics, ...(apiToken ? { apiToken } : {}), examplesDir: fileURLToPath(new URL('../../examples', import.meta.url)) })
    : await startLocal({ port, ...statics, fresh: flag('fresh'), ...(apiToken ? { apiToken } : {}) });
  for (const d of local.deployed) console.log(`deployed ${d.file}: ${d.status < 300 ? d.body : `refused (${d.status}) ${d.body}`}`);
  const workers = flag('no-workers') ? null : startExampleWorkers(local.url, apiToken);
  console.log(`
serverless-bpmn is running at ${local.url}
  web page      ${page ? `${local.url}/` : 'not built (npm run build:ui)'}
  OpenAPI       ${local.url}/openapi.json
  try           npx sbpmn start telecom-order --var 'customer={"id":"c-1"}'
                npx sbpmn tasks --group sales${rabbitmq ? `
  RabbitMQ      events in:  exchange sbpmn.in (queue sbpmn.inbound), JSON { name, correlationKey, payload, messageId }
                events out: exchange sbpmn.out (routing key = message name)` : inMemory ? '' : `
  RabbitMQ      set RABBITMQ_URL=amqp://guest:guest@localhost:5672 to run the event bridges`}
Ctrl-C stops everything.`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping...');
    await workers?.stop();
    await local.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
