// A script task evaluates one FEEL expression (zeebe:script) and stores the result in a
// variable; job-worker scripts and other script languages are not run by this engine.
import { type CompileContext, is } from '../context.ts';
import { refer } from '../diagnostic.ts';
import { extensionOf, scriptOf } from '../extensions.ts';
import type { Diagnostic } from '../model.ts';

export function scriptTaskInvalid(ctx: CompileContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const node of ctx.nodes.filter((n) => is(n, 'bpmn:ScriptTask'))) {
    const { expression, resultVariable } = scriptOf(node);
    if (expression && resultVariable) continue;
    const missing = [!expression && 'expression', !resultVariable && 'resultVariable']
      .filter(Boolean)
      .join(' and ');
    const why = extensionOf(node, 'zeebe:TaskDefinition')
      ? '; script tasks run by a job worker are not supported, use a service task'
      : node.script
        ? `; ${node.scriptFormat ?? 'inline'} scripts are not supported, only FEEL`
        : '';
    found.push(
      ctx.diagnostic(
        'script-task-invalid',
        `Script task ${refer(node)} needs <zeebe:script expression="=..." resultVariable="..."/> (no ${missing})${why}`,
        node,
      ),
    );
  }
  return found;
}
