/** Script tasks: a `zeebe:script` FEEL expression whose result becomes `resultVariable`; or a job. */
import type { Behaviour } from '../context.ts';
import type { ElementOf } from '../model/types.ts';
import { createJob } from './job.ts';

export const scriptTask: Behaviour<ElementOf<'scriptTask'>> = {
  activate: (run, key, el) => {
    if (!el.script) return createJob(run, key, el.id, el.job);
    const result = run.feel(el.script.expression, key);
    if (!result.ok) {
      run.incident(key, 'expression', `script of '${el.id}': ${result.message}`, 'activate');
      return 'wait';
    }
    run.acceptVariables(key, { [el.script.resultVariable]: result.value });
    return 'complete';
  },
};
