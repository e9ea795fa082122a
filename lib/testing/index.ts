/** In-memory test harness: run BPMN models inside unit tests, no AWS needed. */
export { TestEngine, DeployError, type TestEngineOptions } from './engine.ts';
export { TestInstance, type OpenJob, type OpenTask } from './instance.ts';
export { bpmn, flow, flows, job, lineDiagram, message, escapeXml } from './bpmn.ts';
