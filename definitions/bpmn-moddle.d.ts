// bpmn-moddle 10 ships types for its meta-model but none for its entry point;
// parse.ts narrows the result to ./moddle-types.ts.
declare module 'bpmn-moddle' {
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<unknown>;
  }
}
