// Keeps a section of a page live without a reload. Data contract:
//   <div id="gf-live" data-live-src="<fragment URL>" data-live-events="<SSE URL>">
// When the event stream says something happened, the fragment is fetched and replaces the
// section's content; a `<script type="application/json" id="gf-live-marks">` inside it (the
// diagram's marks) is sent to every `.gf-diagram[data-live-marks]` as a `gf:marks` event.
// Updates are coalesced: at most one fetch runs, and one more follows if events came meanwhile.

function follow(section: HTMLElement): void {
  const src = section.dataset.liveSrc;
  const events = section.dataset.liveEvents;
  if (!src || !events) return;
  let running = false;
  let again = false;

  const refresh = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const response = await fetch(src, { credentials: 'same-origin', headers: { accept: 'text/html' } });
      if (response.ok) {
        section.innerHTML = await response.text();
        section.dataset.liveUpdated = new Date().toISOString();
        const marks = section.querySelector<HTMLScriptElement>('script#gf-live-marks');
        if (marks?.textContent) {
          const detail = JSON.parse(marks.textContent);
          for (const diagram of document.querySelectorAll<HTMLElement>('.gf-diagram[data-live-marks]'))
            diagram.dispatchEvent(new CustomEvent('gf:marks', { detail }));
        }
      }
    } catch {
      // The server is away for a moment: the next event (or reconnect) tries again.
    } finally {
      running = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  };

  // A step lands on the ledger a moment before the engine moves on: look again shortly after.
  const changed = () => {
    void refresh();
    setTimeout(() => void refresh(), 1500);
  };
  const stream = new EventSource(events, { withCredentials: true });
  stream.addEventListener('StepRecorded', changed);
  stream.onmessage = changed;
  // A reconnect may have missed events: catch up once it is open again.
  stream.onopen = () => {
    section.dataset.liveConnected = 'true';
    void refresh();
  };
}

for (const section of document.querySelectorAll<HTMLElement>('[data-live-src][data-live-events]'))
  follow(section);
