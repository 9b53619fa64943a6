// The slice of bpmn-moddle's object tree the compiler reads. moddle builds plain objects whose
// properties follow the BPMN meta-model; we type them loosely and check shapes where we read them.

/** Any element of the moddle tree (bpmn:, zeebe:, govflow: or a generic foreign element). */
export interface ModdleElement {
  $type: string;
  $parent?: ModdleElement;
  /** Attributes moddle did not map to a property (foreign namespaces, `xmlns:*`). */
  $attrs?: Record<string, string>;
  id?: string;
  name?: string;
  [property: string]: any;
}

/** A warning as bpmn-moddle reports it from `fromXML`. */
export interface ModdleWarning {
  message: string;
  error?: Error;
  element?: ModdleElement;
  property?: string;
  value?: unknown;
}

export interface ModdleParseResult {
  rootElement: ModdleElement;
  elementsById: Record<string, ModdleElement>;
  references: unknown[];
  warnings: ModdleWarning[];
}
