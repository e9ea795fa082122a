/** The part of dmn-moddle's API this project uses (the package ships no typings for it). */
declare module 'dmn-moddle' {
  import type { ParseResult } from 'bpmn-moddle';
  export class DmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ParseResult>;
  }
}
