/** DMN 1.3 documents for tests, shaped as Camunda Modeler writes them. */

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface TableSpec {
  id?: string;
  hitPolicy?: string;
  aggregation?: string;
  versionTag?: string;
  requires?: string[];
  inputs: string[];
  /** typeRef of each input (default string). */
  inputTypes?: string[];
  /** Output names; `name:"a","b"` adds output values. */
  outputs: string[];
  /** Each rule: input entries then output entries. */
  rules: Array<[string[], string[]]>;
}

function wrap(decisions: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_1" name="Test" namespace="http://camunda.org/schema/1.0/dmn" modeler:executionPlatform="Camunda Cloud">
${decisions}
</definitions>`;
}

function head(id: string, versionTag: string | undefined, requires: string[] = []): string {
  const tag = versionTag ? `<extensionElements><zeebe:versionTag value="${versionTag}" /></extensionElements>` : '';
  const reqs = requires.map((r) => `<informationRequirement id="req_${id}_${r}"><requiredDecision href="#${r}" /></informationRequirement>`).join('');
  return `<decision id="${id}" name="${id}">${tag}${reqs}`;
}

export function tableDecision(spec: TableSpec): string {
  const id = spec.id ?? 'decision';
  const policy = `${spec.hitPolicy ? ` hitPolicy="${spec.hitPolicy}"` : ''}${spec.aggregation ? ` aggregation="${spec.aggregation}"` : ''}`;
  const inputs = spec.inputs.map((e, i) => `<input id="${id}_in${i}" label="in${i}"><inputExpression id="${id}_ie${i}" typeRef="${spec.inputTypes?.[i] ?? 'string'}"><text>${escape(e)}</text></inputExpression></input>`).join('\n');
  const outputs = spec.outputs.map((o, i) => {
    const [name, values] = o.split(':', 2) as [string, string | undefined];
    const outputValues = values ? `<outputValues id="${id}_ov${i}"><text>${escape(values)}</text></outputValues>` : '';
    return `<output id="${id}_out${i}" name="${name}" typeRef="string">${outputValues}</output>`;
  }).join('\n');
  const rules = spec.rules.map(([ins, outs], r) => `<rule id="${id}_r${r}">${ins.map((t, i) => `<inputEntry id="${id}_r${r}_i${i}"><text>${escape(t)}</text></inputEntry>`).join('')}${outs.map((t, i) => `<outputEntry id="${id}_r${r}_o${i}"><text>${escape(t)}</text></outputEntry>`).join('')}</rule>`).join('\n');
  return `${head(id, spec.versionTag, spec.requires)}<decisionTable id="${id}_table"${policy}>${inputs}\n${outputs}\n${rules}</decisionTable></decision>`;
}

export function literalDecision(id: string, expression: string, requires: string[] = []): string {
  return `${head(id, undefined, requires)}<variable id="${id}_var" name="${id}" /><literalExpression id="${id}_expr"><text>${escape(expression)}</text></literalExpression></decision>`;
}

/** A DMN document holding the given decisions (`tableDecision`, `literalDecision`). */
export function dmn(...decisions: string[]): string {
  return wrap(decisions.join('\n'));
}

/** A document with one decision table. */
export function table(spec: TableSpec): string {
  return dmn(tableDecision(spec));
}
