// dmn-moddle 12 ships no types; ./parse.ts narrows the result to ../moddle-types.ts.
declare module 'dmn-moddle' {
  export class DmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<unknown>;
  }
}
