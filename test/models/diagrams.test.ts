// Every shipped model opens cleanly in Camunda Modeler: it compiles without diagnostics, and its
// diagram (BPMN DI) has a shape with bounds for every flow node and an edge with waypoints for every
// sequence flow, laid out without overlapping shapes, edges starting and ending on their shapes.
import { readdirSync, readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';
import { describe, expect, it } from 'vitest';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import govflow from '../../definitions/govflow.json' with { type: 'json' };
import { compile } from '../../definitions/index.ts';

const DIR = new URL('../../definitions/', import.meta.url);
const shipped = readdirSync(DIR).filter((f) => f.endsWith('.bpmn'));

interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}
type Node = { id: string; $type: string; flowElements?: Node[]; attachedToRef?: Node; [k: string]: any };

/** Every flow element of the process, into sub-processes. */
function flowElements(container: Node): Node[] {
  return (container.flowElements ?? []).flatMap((e) => [e, ...flowElements(e)]);
}

const overlaps = (a: Bounds, b: Bounds) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Bounds, b: Bounds) =>
  a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
/** A waypoint on (or within 2px of) the border or inside of a shape. */
const touches = (p: { x: number; y: number }, b: Bounds) =>
  p.x >= b.x - 2 && p.x <= b.x + b.width + 2 && p.y >= b.y - 2 && p.y <= b.y + b.height + 2;

async function load(file: string) {
  const xml = readFileSync(new URL(file, DIR), 'utf8');
  const { rootElement, warnings } = (await new BpmnModdle({ zeebe, govflow }).fromXML(xml)) as {
    rootElement: unknown;
    warnings: unknown[];
  };
  const definitions = rootElement as unknown as Node;
  const process = (definitions.rootElements as Node[]).find((e) => e.$type === 'bpmn:Process')!;
  const plane = (definitions.diagrams as Node[])[0].plane as Node;
  const di = new Map<string, Node>(
    (plane.planeElement as Node[]).map((d) => [(d.bpmnElement as Node).id, d]),
  );
  return { xml, warnings, process, plane, di };
}

describe.each(shipped)('%s', (file) => {
  it('compiles without any diagnostic', async () => {
    const result = await compile(readFileSync(new URL(file, DIR)));
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('is made for Camunda 8 and parses without moddle warnings', async () => {
    const { xml, warnings, process, plane } = await load(file);
    expect(warnings).toEqual([]);
    expect(xml).toContain('modeler:executionPlatform="Camunda Cloud"');
    expect(xml).toMatch(/modeler:executionPlatformVersion="8\.\d+\.\d+"/);
    expect((plane.bpmnElement as Node).id).toBe(process.id);
  });

  it('has a shape with bounds for every flow node and an edge with waypoints for every flow', async () => {
    const { process, di } = await load(file);
    const elements = flowElements(process);
    expect(elements.length).toBeGreaterThan(3);
    for (const element of elements) {
      const shape = di.get(element.id);
      if (element.$type === 'bpmn:SequenceFlow') {
        expect(shape?.$type, `edge of ${element.id}`).toBe('bpmndi:BPMNEdge');
        expect(shape!.waypoint.length, `waypoints of ${element.id}`).toBeGreaterThanOrEqual(2);
        continue;
      }
      expect(shape?.$type, `shape of ${element.id}`).toBe('bpmndi:BPMNShape');
      const { width, height } = shape!.bounds as Bounds;
      expect(width > 0 && height > 0, `bounds of ${element.id}`).toBe(true);
      if (element.$type === 'bpmn:SubProcess') expect(shape!.isExpanded, `${element.id} expanded`).toBe(true);
      if (element.$type === 'bpmn:ExclusiveGateway') expect(shape!.isMarkerVisible).toBe(true);
    }
    // Nothing in the diagram that is not in the process.
    const ids = new Set(elements.map((e) => e.id));
    for (const id of di.keys()) if (id !== process.id) expect(ids, `diagram element ${id}`).toContain(id);
  });

  it('lays shapes out without overlaps, boundary events on their activity, edges on their shapes', async () => {
    const { process, di } = await load(file);
    const elements = flowElements(process);
    const nodes = elements.filter((e) => e.$type !== 'bpmn:SequenceFlow');
    const bounds = (id: string) => di.get(id)!.bounds as Bounds;
    for (const [i, a] of nodes.entries()) {
      for (const b of nodes.slice(i + 1)) {
        const related =
          a.attachedToRef?.id === b.id ||
          b.attachedToRef?.id === a.id ||
          inside(bounds(a.id), bounds(b.id)) ||
          inside(bounds(b.id), bounds(a.id));
        if (!related) expect(overlaps(bounds(a.id), bounds(b.id)), `${a.id} overlaps ${b.id}`).toBe(false);
      }
      if (a.attachedToRef) {
        const host = bounds(a.attachedToRef.id);
        const event = bounds(a.id);
        const cy = event.y + event.height / 2;
        expect(overlaps(event, host), `${a.id} sits on ${a.attachedToRef.id}`).toBe(true);
        expect(Math.abs(cy - (host.y + host.height)), `${a.id} on the bottom border`).toBeLessThan(1);
      }
    }
    for (const flow of elements.filter((e) => e.$type === 'bpmn:SequenceFlow')) {
      const points = di.get(flow.id)!.waypoint as { x: number; y: number }[];
      expect(touches(points[0], bounds(flow.sourceRef.id)), `${flow.id} starts on its source`).toBe(true);
      expect(touches(points.at(-1)!, bounds(flow.targetRef.id)), `${flow.id} ends on its target`).toBe(true);
      for (const [p, q] of points.slice(1).map((q, k) => [points[k], q])) {
        expect(p.x === q.x || p.y === q.y, `${flow.id} is drawn with straight segments`).toBe(true);
      }
    }
  });

  it('reads left to right: the start event is leftmost, every end event right of it', async () => {
    const { process, di } = await load(file);
    const top = (process.flowElements as Node[]).filter((e) => e.$type !== 'bpmn:SequenceFlow');
    const start = top.find((e) => e.$type === 'bpmn:StartEvent')!;
    const x = (id: string) => (di.get(id)!.bounds as Bounds).x;
    for (const e of top) if (e !== start) expect(x(e.id), e.id).toBeGreaterThan(x(start.id));
  });
});
