// dmn-moddle tree -> DecisionGraph, with a diagnostic for everything Camunda 8 would refuse or
// fail on at run time. Diagnostics name the decision (id and name) and point at the exact XML
// element: the rule, cell or clause at fault.
import {
  AGGREGATIONS,
  type Aggregation,
  type Decision,
  type DecisionGraph,
  type DecisionInput,
  type DecisionOutput,
  type DecisionRule,
  type DecisionTable,
  HIT_POLICIES,
  type HitPolicy,
  requirementCycle,
} from '../../chaincode/src/decision.ts';
import { makeDiagnostic, refer } from '../diagnostic.ts';
import { feelSyntaxError } from '../feel.ts';
import type { Locator, SourcePosition } from '../locate.ts';
import type { ModdleElement } from '../moddle-types.ts';
import type { Diagnostic } from '../model.ts';
import { splitLiterals, unaryTestsSyntaxError } from './unary-tests.ts';

/** Decision logic Camunda 8 does not run, by moddle type. */
const UNSUPPORTED_LOGIC: Record<string, string> = {
  'dmn:Context': 'a boxed context',
  'dmn:Relation': 'a relation',
  'dmn:Invocation': 'an invocation',
  'dmn:FunctionDefinition': 'a function definition',
  'dmn:List': 'a boxed list',
};
const UNSUPPORTED_DRG: Record<string, string> = {
  'dmn:BusinessKnowledgeModel': 'Business knowledge models',
  'dmn:DecisionService': 'Decision services',
};

interface Built {
  element: ModdleElement;
  decision: Decision;
  place?: SourcePosition;
  /** Every requirement of a decision in this model, as written: ids may be empty or repeated. */
  localRequirements: LocalRequirement[];
}

interface LocalRequirement {
  /** The required decision's id. */
  id: string;
  element: ModdleElement;
  /** Its index among the decision's informationRequirement elements. */
  index: number;
}

export class GraphBuilder {
  readonly diagnostics: Diagnostic[] = [];
  private decision: ModdleElement | undefined;
  private readonly tagsAfter = new Map<string, SourcePosition[]>();

  constructor(private readonly locator: Locator) {}

  build(definitions: ModdleElement): DecisionGraph | undefined {
    const language = definitions.expressionLanguage;
    if (language && !isFeel(language)) {
      this.report(
        'dmn-expression-language-unsupported',
        `The model's expression language is ${language}; Camunda 8 evaluates FEEL only`,
        definitions,
        this.locator.element(definitions.id),
      );
    }
    const built: Built[] = [];
    const definitionsAt = this.locator.element(definitions.id) ?? this.locator.tags('definitions', 0, 1)[0];
    for (const element of (definitions.drgElement ?? []) as ModdleElement[]) {
      const unsupported = UNSUPPORTED_DRG[element.$type];
      if (unsupported) {
        this.decision = element;
        const message = `${unsupported} are not supported (Camunda 8 runs decision tables and literal expressions only): ${refer(element)}`;
        this.report('dmn-unsupported-element', message, element, this.locator.element(element.id));
      } else if (element.$type === 'dmn:Decision') {
        built.push(this.buildDecision(element, this.at(element, definitionsAt, 'decision', built.length)));
      }
    }
    const decisions = built.map((b) => b.decision);
    if (decisions.length === 0) {
      const message = 'The model has no decision: add a decision table or a literal expression decision';
      this.report('dmn-no-decision', message, definitions, this.locator.element(definitions.id));
    }
    if (!definitions.id) {
      const message = 'The <definitions> element has no id: it identifies the decision graph';
      this.diagnostics.push(makeDiagnostic(this.locator, 'dmn-definitions-id-missing', message));
    }
    this.checkRequirements(built);
    if (!definitions.id || decisions.length === 0) return undefined;
    const graph: DecisionGraph = definitions.name
      ? { id: definitions.id, name: definitions.name, decisions }
      : { id: definitions.id, decisions };
    return graph;
  }

  private buildDecision(element: ModdleElement, place: SourcePosition | undefined): Built {
    this.decision = element;
    const decision: Decision = element.name
      ? { id: element.id ?? '', name: element.name, requires: [] }
      : { id: element.id ?? '', requires: [] };
    if (!element.id) {
      const message = `${this.subject()} has no id: business rule tasks call a decision by its id`;
      this.report('dmn-decision-id-missing', message, element, place);
    }
    const localRequirements: LocalRequirement[] = [];
    ((element.informationRequirement ?? []) as ModdleElement[]).forEach((requirement, i) => {
      const href: string | undefined = requirement.requiredDecision?.href;
      if (href === undefined) return;
      const hash = href.indexOf('#');
      const id = href.slice(hash + 1);
      if (hash > 0) {
        const message = `${this.subject()} requires "${href}" from another model; imported decisions are not supported`;
        const at = this.at(requirement, place, 'informationRequirement', i);
        this.report('dmn-required-decision-missing', message, element, at);
        return;
      }
      localRequirements.push({ id, element: requirement, index: i });
      if (id && !decision.requires.includes(id)) decision.requires.push(id);
    });
    const logic: ModdleElement | undefined = element.decisionLogic;
    if (!logic) {
      const message = `${this.subject()} has no decision logic: add a decision table or a literal expression`;
      this.report('dmn-decision-logic-missing', message, element, place);
    } else if (logic.$type === 'dmn:DecisionTable') {
      decision.table = this.buildTable(logic, this.at(logic, place, 'decisionTable'));
    } else if (logic.$type === 'dmn:LiteralExpression') {
      const expression = text(logic);
      const at = this.at(logic, place, 'literalExpression');
      if (!expression) {
        this.report(
          'dmn-decision-logic-missing',
          `${this.subject()} has an empty literal expression`,
          element,
          at,
        );
      } else this.checkFeel(logic, expression, 'its literal expression', at);
      decision.literal = { expression };
      if (element.variable?.name) decision.literal.variable = element.variable.name;
    } else {
      const kind = UNSUPPORTED_LOGIC[logic.$type] ?? logic.$type;
      const message = `${this.subject()} is ${kind}; Camunda 8 runs decision tables and literal expressions only`;
      const tag = logic.$type.slice(4, 5).toLowerCase() + logic.$type.slice(5);
      this.report('dmn-unsupported-element', message, element, this.at(logic, place, tag));
    }
    return { element, decision, place, localRequirements };
  }

  private buildTable(table: ModdleElement, tablePlace: SourcePosition | undefined): DecisionTable {
    const decision = this.decision!;
    const hitPolicy = table.hitPolicy as HitPolicy;
    if (!HIT_POLICIES.includes(hitPolicy)) {
      const message = `${this.subject()} has the unknown hit policy "${hitPolicy}"; expected one of ${HIT_POLICIES.join(', ')}`;
      this.report('dmn-hit-policy-invalid', message, decision, this.attribute(tablePlace, 'hitPolicy'));
    }
    const aggregation = table.aggregation as Aggregation | undefined;
    const inputClauses: ModdleElement[] = table.input ?? [];
    const outputClauses: ModdleElement[] = table.output ?? [];
    if (aggregation !== undefined) {
      const problem = !AGGREGATIONS.includes(aggregation)
        ? `the unknown aggregation "${aggregation}"; expected one of ${AGGREGATIONS.join(', ')}`
        : hitPolicy !== 'COLLECT'
          ? `the aggregation ${aggregation} with hit policy ${hitPolicy}; aggregations need COLLECT`
          : outputClauses.length !== 1
            ? `the aggregation ${aggregation} over ${outputClauses.length} outputs; it needs exactly one`
            : undefined;
      if (problem) {
        const position = this.attribute(tablePlace, 'aggregation');
        this.report('dmn-aggregation-invalid', `${this.subject()} has ${problem}`, decision, position);
      }
    }
    const inputs = inputClauses.map((clause, i) =>
      this.buildInput(clause, this.at(clause, tablePlace, 'input', i), i),
    );
    const outputs = outputClauses.map((clause, i) =>
      this.buildOutput(clause, this.at(clause, tablePlace, 'output', i), i, outputClauses),
    );
    if (outputs.length === 0) {
      const message = `${this.subject()} has a decision table without outputs`;
      this.report('dmn-output-missing', message, decision, tablePlace);
    }
    if (
      (hitPolicy === 'PRIORITY' || hitPolicy === 'OUTPUT ORDER') &&
      outputs.every((output) => !output.outputValues?.length)
    ) {
      const message = `${this.subject()} has hit policy ${hitPolicy} but no output lists its output values, so rules keep their order`;
      this.report('dmn-output-values-missing', message, decision, tablePlace, 'warning');
    }
    const rules = ((table.rule ?? []) as ModdleElement[]).map((rule, i) =>
      this.buildRule(rule, this.at(rule, tablePlace, 'rule', i), i, inputs, outputs),
    );
    const built: DecisionTable = { hitPolicy, inputs, outputs, rules };
    if (aggregation !== undefined) built.aggregation = aggregation;
    return built;
  }

  private buildInput(clause: ModdleElement, at: SourcePosition | undefined, index: number): DecisionInput {
    const label: string | undefined = clause.label || undefined;
    const column = `input ${index + 1}${label ? ` ("${label}")` : ''}`;
    const expression = clause.inputExpression;
    const input: DecisionInput = {
      id: clause.id ?? `${this.decision?.id}_input_${index + 1}`,
      expression: '',
    };
    if (label) input.label = label;
    input.expression = expression ? text(expression) : '';
    const where = expression ? this.at(expression, at, 'inputExpression') : at;
    if (!input.expression) {
      this.report(
        'dmn-feel-syntax',
        `${this.subject()}, ${column}: the input expression is empty`,
        this.decision!,
        where,
      );
    } else this.checkFeel(expression, input.expression, `${column}, input expression`, where);
    return input;
  }

  private buildOutput(
    clause: ModdleElement,
    at: SourcePosition | undefined,
    index: number,
    clauses: ModdleElement[],
  ): DecisionOutput {
    const count = clauses.length;
    const output: DecisionOutput = {
      id: clause.id ?? `${this.decision?.id}_output_${index + 1}`,
      name: clause.name ?? '',
    };
    if (clause.label) output.label = clause.label;
    const column = `output ${index + 1}${output.label ? ` ("${output.label}")` : ''}`;
    if (count > 1 && !output.name) {
      const message = `${this.subject()}, ${column} has no name; a table with several outputs needs one per output, the key of its value in the result`;
      this.report('dmn-output-name-missing', message, this.decision!, at);
    } else if (count > 1 && clauses.slice(0, index).some((o) => o.name === output.name)) {
      const message = `${this.subject()}, ${column}: the output name "${output.name}" is used twice`;
      this.report('dmn-output-name-duplicate', message, this.decision!, at);
    }
    if (clause.outputValues) {
      const values = splitLiterals(text(clause.outputValues));
      const where = this.at(clause.outputValues, at, 'outputValues');
      for (const literal of values)
        this.checkFeel(clause.outputValues, literal, `${column}, output values`, where);
      if (values.length > 0) output.outputValues = values;
    }
    if (clause.defaultOutputEntry) {
      const message = `${this.subject()}, ${column} has a default output entry; govflow does not support default outputs: add a last rule that matches everything instead`;
      this.report(
        'dmn-unsupported-element',
        message,
        this.decision!,
        this.at(clause.defaultOutputEntry, at, 'defaultOutputEntry'),
      );
    }
    return output;
  }

  private buildRule(
    element: ModdleElement,
    at: SourcePosition | undefined,
    index: number,
    inputs: DecisionInput[],
    outputs: DecisionOutput[],
  ): DecisionRule {
    const id = element.id ?? `${this.decision?.id}_rule_${index + 1}`;
    const name = `rule ${index + 1}${element.id ? ` ("${element.id}")` : ''}`;
    const inputEntries: ModdleElement[] = element.inputEntry ?? [];
    const outputEntries: ModdleElement[] = element.outputEntry ?? [];
    if (inputEntries.length !== inputs.length || outputEntries.length !== outputs.length) {
      const message = `${this.subject()}, ${name} has ${inputEntries.length} input and ${outputEntries.length} output entries; the table has ${inputs.length} inputs and ${outputs.length} outputs`;
      this.report('dmn-rule-entries-mismatch', message, this.decision!, at);
    }
    const rule: DecisionRule = {
      id,
      inputEntries: inputEntries.map((entry, i) => {
        const test = text(entry);
        const problem = languageProblem(entry) ?? unaryTestsSyntaxError(test);
        if (problem) {
          const column = `input entry ${i + 1}${inputs[i]?.label ? ` ("${inputs[i].label}")` : ''}`;
          const message = `${this.subject()}, ${name}, ${column}: ${problem} in "${test}"`;
          this.report('dmn-feel-syntax', message, this.decision!, this.at(entry, at, 'inputEntry', i));
        }
        return test;
      }),
      outputEntries: outputEntries.map((entry, i) => {
        const expression = text(entry);
        if (expression) {
          const column = `output entry ${i + 1}${outputs[i]?.name ? ` ("${outputs[i].name}")` : ''}`;
          this.checkFeel(entry, expression, `${name}, ${column}`, this.at(entry, at, 'outputEntry', i));
        }
        return expression;
      }),
    };
    return rule;
  }

  /** Missing required decisions, then requirement cycles. */
  private checkRequirements(built: Built[]): void {
    const ids = new Set(built.map((b) => b.decision.id));
    for (const { element, place, localRequirements } of built) {
      this.decision = element;
      for (const requirement of localRequirements) {
        if (ids.has(requirement.id)) continue;
        const message = `${this.subject()} requires the decision "${requirement.id}", which does not exist in this model`;
        const at = this.at(requirement.element, place, 'informationRequirement', requirement.index);
        this.report('dmn-required-decision-missing', message, element, at);
      }
    }
    const cycle = requirementCycle(built.map((b) => b.decision));
    if (cycle) {
      const first = built.find((b) => b.decision.id === cycle[0]);
      const element = first?.element;
      this.decision = element;
      const message = `Decisions require each other in a cycle: ${cycle.map((id) => `"${id}"`).join(' -> ')}`;
      this.report('dmn-requirement-cycle', message, element ?? { id: cycle[0] }, first?.place);
    }
  }

  private checkFeel(
    element: ModdleElement,
    expression: string,
    what: string,
    position?: SourcePosition,
  ): void {
    const problem = languageProblem(element) ?? feelSyntaxError(expression);
    if (problem) {
      this.report(
        'dmn-feel-syntax',
        `${this.subject()}, ${what}: ${problem} in "${expression}"`,
        this.decision!,
        position,
      );
    }
  }

  private subject(): string {
    return `Decision ${refer(this.decision)}`;
  }

  private report(
    code: string,
    message: string,
    element: ModdleElement | { id?: string; name?: string },
    position?: SourcePosition,
    severity: Diagnostic['severity'] = 'error',
  ): void {
    // named by the decision: a cell's own id (`UnaryTests_0x1`) means nothing to its author
    const named = { id: element.id, name: element.name };
    this.diagnostics.push(makeDiagnostic(this.locator, code, message, named, { position, severity }));
  }

  /** The element's tag: by its id, else the `index`-th `tag` after its parent's tag. */
  private at(
    element: ModdleElement,
    parentAt: SourcePosition | undefined,
    tag: string,
    index = 0,
  ): SourcePosition | undefined {
    const own = this.locator.element(element.id);
    if (own || !parentAt) return own ?? parentAt;
    // found tags are kept and the scan resumes after the last: thousands of rules without ids
    // would otherwise each rescan the table from its start
    const key = `${tag}@${parentAt.offset}`;
    const found = this.tagsAfter.get(key) ?? [];
    this.tagsAfter.set(key, found);
    if (index >= found.length) {
      const from = (found.at(-1)?.offset ?? parentAt.offset) + 1;
      found.push(...this.locator.tags(tag, from, index + 1 - found.length));
    }
    return found[index] ?? parentAt;
  }

  /** An attribute inside the tag at `place`, or the tag itself. */
  private attribute(place: SourcePosition | undefined, name: string): SourcePosition | undefined {
    if (!place) return undefined;
    const end = this.locator.find('>', place.offset, 64 * 1024)?.offset ?? place.offset;
    return this.locator.find(` ${name}=`, place.offset, end - place.offset) ?? place;
  }
}

/** The trimmed `<text>` of a literal expression or unary tests. */
function text(element: ModdleElement): string {
  return typeof element.text === 'string' ? element.text.trim() : '';
}

function isFeel(language: string): boolean {
  return /feel/i.test(language);
}

function languageProblem(element: ModdleElement): string | undefined {
  const language: string | undefined = element.expressionLanguage;
  return language && !isFeel(language)
    ? `the expression language ${language} is not supported (FEEL only)`
    : undefined;
}
