/** `sbpmn dlq list | show <commandId> | redrive <commandId>`: commands that failed for good. */
import type { Command } from 'commander';
import type { CliContext } from './context.ts';
import { apiCommand, json, withApi } from './remote.ts';
import { cell, keyValues, table, time } from './table.ts';
import { wholeNumber } from './vars.ts';

export function registerDlq(program: Command, ctx: CliContext): void {
  const dlq = program.command('dlq').description('commands that failed for good (the commands DLQ, swept into dead letters with an incident each)');

  apiCommand(dlq, 'list', 'list dead commands')
    .option('--limit <n>', 'at most this many', wholeNumber(1))
    .action(async (options: { limit?: number; json?: boolean }, command: Command) => {
      await withApi(ctx, command, options, 'listing dead commands', (client) => client.listDeadLetters(options.limit ? { limit: options.limit } : {}), (page) => {
        if (options.json) return ctx.out(json(page));
        if (page.items.length === 0) return ctx.out('no dead commands\n');
        ctx.out(`${table(['command', 'instance', 'type', 'at', 'incident', 'reason'], page.items.map((d) => [
          cell(d.commandId), cell(d.instanceId), cell((d.envelope['command'] as { type?: string } | undefined)?.type ?? ''), time(d.at), cell(d.incidentId ?? '-'), cell(d.reason, 60),
        ]))}\n`);
      });
    });

  apiCommand(dlq, 'show', 'show one dead command, with the command as it was queued')
    .argument('<commandId>')
    .action(async (commandId: string, options: { json?: boolean }, command: Command) => {
      await withApi(ctx, command, options, `reading ${commandId}`, (client) => client.getDeadLetter(commandId), (dead) => {
        if (options.json) return ctx.out(json(dead));
        ctx.out(`${keyValues([['command', dead.commandId], ['instance', dead.instanceId], ['at', time(dead.at)], ['receives', String(dead.receiveCount)], ['incident', dead.incidentId ?? '-'], ['reason', dead.reason]])}\n${JSON.stringify(dead.envelope, null, 2)}\n`);
      });
    });

  apiCommand(dlq, 'redrive', 'send a dead command to its instance again (applied at most once)')
    .argument('<commandId>')
    .action(async (commandId: string, options: { json?: boolean }, command: Command) => {
      await withApi(ctx, command, options, `redriving ${commandId}`, (client) => client.redriveDeadLetter(commandId), (result) => {
        ctx.out(options.json ? json(result) : `redrove ${cell(result.commandId)} to instance ${cell(result.instanceId)} (${result.via === 'incident' ? 'its incident resolved' : 'queued again'})\n`);
      });
    });
}
