/** The queue ports' contracts: CommandBus (FIFO deduplication, redrive), EventBus, DeadLetters, TimerScheduler. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandEnvelope } from '../../../lib/ports.ts';
import { BACKENDS, type Backend } from './backends.ts';

const cmd = (id: string, instanceId = 'pi-1'): CommandEnvelope => ({ id, instanceId, command: { type: 'setVariables', variables: { id } } });

describe.each(BACKENDS)('queues: %s', (_name, backend) => {
  let b: Backend;
  beforeAll(async () => {
    b = await backend();
  });

  it('delivers commands in order, drops a command id sent again, but not a redrive', async () => {
    await b.commands.send([cmd('a1'), cmd('a2')]);
    await b.commands.send([cmd('a1')]);
    expect((await b.sentCommands()).map((e) => e.id)).toEqual(['a1', 'a2']);
    await b.commands.send([cmd('a1')], { redrive: true });
    expect(await b.sentCommands()).toEqual([cmd('a1')]);
  });

  it('publishes process messages with their id', async () => {
    const message = { id: 'pi-1:2:0', name: 'order.shipped', correlationKey: 'o-1', variables: { at: 1 }, instanceId: 'pi-1', elementId: 'notify' };
    await b.events.publish(message);
    expect(await b.published()).toEqual([message]);
  });

  it('keeps dead letters with their reason', async () => {
    await b.deadLetters.send([{ reason: 'not JSON', body: '{oops', messageId: 'm-1' }, { reason: 'no name', body: '{}' }]);
    const letters = await b.letters();
    expect(letters.map((l) => [l.reason, l.body]).sort()).toEqual([['no name', '{}'], ['not JSON', '{oops']]);
  });

  it('hands over a timer once due, and not before', async () => {
    const now = b.now();
    await b.timers.schedule({ timerId: 'pi-1.4', instanceId: 'pi-1', dueAt: now });
    await b.timers.schedule({ timerId: 'pi-1.5', instanceId: 'pi-1', dueAt: now + 120_000 });
    expect(await b.dueTimers(now)).toEqual([{ timerId: 'pi-1.4', instanceId: 'pi-1', dueAt: now }]);
  });
});
