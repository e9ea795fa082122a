/**
 * A spinner on stderr while the CLI waits for the API; only when stderr is a terminal,
 * so pipes, files and `--json` scripts never see it.
 */
import type { CliContext } from './context.ts';
import { inert } from './output.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const INTERVAL_MS = 80;
/** Carriage return, then erase to the end of the line. */
const CLEAR = '\r\u001b[K';

/**
 * Runs `work` with a spinner labelled `label`, and clears the line when it settles.
 *
 * @example const instance = await spin(ctx, `loading ${id}`, () => client.getInstance(id));
 */
export async function spin<T>(ctx: Pick<CliContext, 'err' | 'interactive'>, label: string, work: () => Promise<T>): Promise<T> {
  if (!ctx.interactive) return work();
  let frame = 0;
  const text = inert(label, 60);
  const draw = (): void => ctx.err(`${CLEAR}${FRAMES[frame++ % FRAMES.length]} ${text}`);
  draw();
  const timer = setInterval(draw, INTERVAL_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    ctx.err(CLEAR);
  }
}
