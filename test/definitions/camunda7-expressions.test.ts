// JUEL and XPath conditions of Camunda 7 models translated to FEEL (definitions/camunda7/juel.ts,
// xpath.ts, feel-ast.ts): each construct with its FEEL, and what is refused with the reason.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are JUEL (Camunda 7), not templates
import { describe, expect, it } from 'vitest';
import { juelToFeel } from '../../definitions/camunda7/expressions.ts';
import { toFeel, Untranslatable } from '../../definitions/camunda7/feel-ast.ts';
import { readXPath } from '../../definitions/camunda7/xpath.ts';

const feelOf = (juel: string) => {
  const translated = juelToFeel(juel);
  return translated.kind === 'feel' ? translated.feel : { text: translated.text };
};
const xpath = (text: string) => toFeel(readXPath(text, (prefix) => prefix === 'bpmn'));
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof Untranslatable) return error.message;
    throw error;
  }
  throw new Error('translated, but should have been refused');
};

describe('JUEL to FEEL', () => {
  it.each([
    ['${approved}', 'approved'],
    ['#{approved}', 'approved'],
    ['  ${ invoice.amount }  ', 'invoice.amount'],
    ["${invoice['amount']}", 'invoice.amount'],
    ["${'it''s'}", undefined],
    ["${'yes'}", '"yes"'],
    ['${"say \\"hi\\" \\\\ bye"}', '"say \\"hi\\" \\\\ bye"'],
    ["${'a\"b'}", '"a\\"b"'],
    ['${42}', '42'],
    ['${3.50}', '3.50'],
    ['${.5}', '0.5'],
    ['${007}', '7'],
    ['${1e3}', '1000'],
    ['${true}', 'true'],
    ['${false}', 'false'],
    ['${null}', 'null'],
    ['${a == 1}', 'a = 1'],
    ["${a eq 'x'}", 'a = "x"'],
    ['${a != 1}', 'a != 1'],
    ['${a ne 1}', 'a != 1'],
    ['${a < 1 && b lt 2}', 'a < 1 and b < 2'],
    ['${a > 1 || b gt 2}', 'a > 1 or b > 2'],
    ['${a <= 1 and b le 2}', 'a <= 1 and b <= 2'],
    ['${a >= 1 or b ge 2}', 'a >= 1 or b >= 2'],
    ['${!approved}', 'not(approved)'],
    ['${not approved}', 'not(approved)'],
    ['${!(a && b)}', 'not(a and b)'],
    ['${empty name}', '(if name = null or name = "" or name = [] or name = {} then true else false)'],
    ['${not empty a.b}', 'not((if a.b = null or a.b = "" or a.b = [] or a.b = {} then true else false))'],
    ['${a + b * c}', 'a + b * c'],
    ['${(a + b) * c}', '(a + b) * c'],
    ['${a - (b - c)}', 'a - (b - c)'],
    ['${a - b - c}', 'a - b - c'],
    ['${a / b}', 'a / b'],
    ['${a div b}', 'a / b'],
    ['${a % b}', 'modulo(a, b)'],
    ['${a mod (b + 1)}', 'modulo(a, b + 1)'],
    ['${-a}', '-a'],
    ['${a - -b}', 'a - (-b)'],
    ['${-(a + b)}', '-(a + b)'],
    ["${a ? 'x' : 'y'}", 'if a then "x" else "y"'],
    ['${a ? b : c ? d : e}', 'if a then b else if c then d else e'],
    ['${(a ? 1 : 2) + 1}', '(if a then 1 else 2) + 1'],
    ['${(a ? b : c) ? d : e}', 'if (if a then b else c) then d else e'],
    ['${a ? (b ? 1 : 2) : 3}', 'if a then (if b then 1 else 2) else 3'],
    ['${a == b == c}', '(a = b) = c'],
    ['${a > 1 && b < 2 || c}', 'a > 1 and b < 2 or c'],
    ['${a && (b || c)}', 'a and (b or c)'],
    ['${(a || b) == false}', '(a or b) = false'],
    ['${nrOfCompletedInstances >= nrOfInstances / 2}', 'numberOfCompletedInstances >= numberOfInstances / 2'],
    ['${loopCounter == 0}', 'loopCounter - 1 = 0'],
  ])('%s -> %s', (juel, feel) => {
    if (feel === undefined) expect(() => juelToFeel(juel)).toThrow(Untranslatable);
    else expect(feelOf(juel)).toBe(feel);
  });

  it('leaves text without an expression as text', () => {
    expect(feelOf('demo')).toEqual({ text: 'demo' });
    expect(feelOf('accounting, sales')).toEqual({ text: 'accounting, sales' });
  });

  it.each([
    ["${execution.getVariable('x')}", 'it calls the method execution.getVariable(...)'],
    ['${myBean.calculate(a, b)}', 'it calls the method myBean.calculate(...)'],
    ['${execution.processBusinessKey}', 'it uses Camunda 7\'s engine object "execution"'],
    ['${authenticatedUserId}', 'it uses Camunda 7\'s engine object "authenticatedUserId"'],
    ['${now()}', 'it calls the function now(...)'],
    ["${fn:contains(a, 'x')}", 'it does not parse as JUEL at ":" (character 5)'],
    ['Hello ${name}', 'it mixes text with expressions (a template), which FEEL has no form for'],
    ['${a}${b}', 'it mixes text with expressions (a template), which FEEL has no form for'],
    ['${a} days', 'it mixes text with expressions (a template), which FEEL has no form for'],
    ['${a', 'the expression is not closed with "}"'],
    ['${a = 1}', 'it does not parse as JUEL at "=" (character 5)'],
    ["${'abc}", 'its string starting at character 3 is not closed'],
    ['${a[0]}', 'it indexes a[...] by a computed key'],
    ["${a['b c']}", 'the name "b c" is not a plain FEEL name'],
    ['${if}', '"if" is a FEEL keyword'],
    ['${$total}', 'the name "$total" is not a plain FEEL name'],
    ['${1e400}', 'the number 1e400 has no plain FEEL form'],
    ['${a instanceof b}', 'it does not parse as JUEL at "instanceof" (character 5)'],
  ])('refuses %s', (juel, reason) => {
    expect(refusal(() => juelToFeel(juel))).toBe(reason);
  });
});

describe('XPath to FEEL', () => {
  it.each([
    ["bpmn:getDataObject('approved')", 'approved'],
    ["not(bpmn:getDataObject('approved'))", 'not(approved)'],
    ["bpmn:getDataObject('clarified') = 'no'", 'clarified = "no"'],
    [
      `bpmn:getDataObject("a") != "x" and bpmn:getDataObject('b') > 3 or true()`,
      'a != "x" and b > 3 or true',
    ],
    ["bpmn:getDataObject('a') <= 2.5 and not(false())", 'a <= 2.5 and not(false)'],
    ["bpmn:getDataObject('a') div 2 mod 3", 'modulo(a / 2, 3)'],
    ["-bpmn:getDataObject('a') + 1 >= 0", '-a + 1 >= 0'],
    ["(bpmn:getDataObject('a') or bpmn:getDataObject('b')) and bpmn:getDataObject('c')", '(a or b) and c'],
  ])('%s -> %s', (text, feel) => {
    expect(xpath(text)).toBe(feel);
  });

  it.each([
    ["bpmn:getDataObject('order')/amount > 5", 'it reads a path or filter ("/") in XML data'],
    ['amount > 5', 'it reads the XML path "amount"'],
    ["bpmn:getDataInput('x')", 'it calls the XPath function bpmn:getDataInput()'],
    ["other:getDataObject('x')", 'it calls the XPath function other:getDataObject()'],
    ["contains(bpmn:getDataObject('a'), 'x')", 'it calls the XPath function contains()'],
    ['$x = 1', 'it uses the XPath construct "$"'],
    ["bpmn:getDataObject('a b')", 'the name "a b" is not a plain FEEL name'],
    ["bpmn:getDataObject('a') =", 'the XPath expression ends unexpectedly'],
  ])('refuses %s', (text, reason) => {
    expect(refusal(() => xpath(text))).toContain(reason);
  });
});
