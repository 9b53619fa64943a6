// Draws a BPMN diagram with bpmn-js's NavigatedViewer and marks what the page says. Contract:
//   <div class="gf-diagram" data-source="ID"></div>
//   <script type="application/json" id="ID">{ xml, completed?, active?, incidents?, taken?,
//     errors?: [{elementId, message}], counts?: {[elementId]: {active?, completed?, incidents?}} }</script>
// Markers are CSS classes gf-completed, gf-active, gf-incident, gf-error, gf-taken on the
// element's SVG group (console/islands/diagram.css draws them with distinct strokes, not colour
// alone); counts and error messages are overlays. The div gets data-state="ready" once drawn, or
// data-state="error" with the reason shown. A `gf:marks` event (detail: the marks without xml)
// replaces the marks; the live island sends it when the application moves on.
import NavigatedViewerModule from 'bpmn-js/lib/NavigatedViewer.js';

// The package's ESM default export, typed through its CommonJS-style declaration.
const NavigatedViewer = NavigatedViewerModule as unknown as new (options: {
  container: HTMLElement;
}) => Viewer;
interface Viewer {
  importXML(xml: string): Promise<unknown>;
  get(service: string): unknown;
}

interface Marks {
  completed?: string[];
  active?: string[];
  incidents?: string[];
  taken?: string[];
  errors?: { elementId: string; message: string }[];
  counts?: Record<string, { active?: number; completed?: number; incidents?: number }>;
}

const MARKERS = ['gf-completed', 'gf-active', 'gf-incident', 'gf-error', 'gf-taken'] as const;

interface Canvas {
  addMarker(id: string, marker: string): void;
  removeMarker(id: string, marker: string): void;
  zoom(level: string): void;
}
interface Overlays {
  add(id: string, type: string, overlay: { position: Record<string, number>; html: HTMLElement }): void;
  remove(filter: { type: string }): void;
}
interface Registry {
  get(id: string): unknown;
  getAll(): { id: string }[];
}

function badge(text: string, kind: string, title: string): HTMLElement {
  const el = document.createElement('span');
  el.className = `gf-badge gf-badge-${kind}`;
  el.textContent = text;
  el.title = title;
  return el;
}

function apply(viewer: Viewer, marks: Marks): void {
  const canvas = viewer.get('canvas') as Canvas;
  const overlays = viewer.get('overlays') as Overlays;
  const registry = viewer.get('elementRegistry') as Registry;
  for (const element of registry.getAll())
    for (const marker of MARKERS) canvas.removeMarker(element.id, marker);
  overlays.remove({ type: 'gf' });
  const mark = (ids: string[] | undefined, marker: (typeof MARKERS)[number]) => {
    for (const id of ids ?? []) if (registry.get(id)) canvas.addMarker(id, marker);
  };
  mark(marks.completed, 'gf-completed');
  mark(marks.taken, 'gf-taken');
  mark(marks.active, 'gf-active');
  mark(marks.incidents, 'gf-incident');
  mark(
    marks.errors?.map((e) => e.elementId),
    'gf-error',
  );
  for (const error of marks.errors ?? []) {
    if (!registry.get(error.elementId)) continue;
    overlays.add(error.elementId, 'gf', {
      position: { bottom: -4, left: 0 },
      html: badge(`⚠ ${error.message}`, 'error', error.message),
    });
  }
  for (const [id, counts] of Object.entries(marks.counts ?? {})) {
    if (!registry.get(id)) continue;
    const parts: [number | undefined, string, string][] = [
      [counts.active, 'active', '▶'],
      [counts.incidents, 'incident', '✖'],
      [counts.completed, 'completed', '✔'],
    ];
    let left = 0;
    for (const [count, kind, sign] of parts) {
      if (!count) continue;
      overlays.add(id, 'gf', {
        position: { bottom: 10, left },
        html: badge(`${sign} ${count}`, kind, `${kind}: ${count}`),
      });
      left += 34;
    }
  }
}

async function draw(container: HTMLElement): Promise<void> {
  const source = container.dataset.source ? document.getElementById(container.dataset.source) : null;
  let data: Marks & { xml?: string };
  try {
    data = JSON.parse(source?.textContent ?? '');
    if (typeof data.xml !== 'string') throw new Error('no BPMN XML in the data block');
  } catch (err) {
    fail(container, `diagram data ${container.dataset.source ?? '(none)'}: ${(err as Error).message}`);
    return;
  }
  const viewer = new NavigatedViewer({ container });
  try {
    await viewer.importXML(data.xml);
  } catch (err) {
    fail(container, (err as Error).message);
    return;
  }
  (viewer.get('canvas') as Canvas).zoom('fit-viewport');
  apply(viewer, data);
  container.addEventListener('gf:marks', (event) => apply(viewer, (event as CustomEvent<Marks>).detail));
  container.dataset.state = 'ready';
}

function fail(container: HTMLElement, message: string): void {
  container.dataset.state = 'error';
  const p = document.createElement('p');
  p.className = 'gf-diagram-error';
  p.textContent = message;
  container.replaceChildren(p);
}

for (const container of document.querySelectorAll<HTMLElement>('.gf-diagram')) void draw(container);
