// Bad models and bad requests get a 4xx naming what is wrong, change nothing, and the API stays up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, tokens } from '../support/harness.ts';

let h: Harness;
let designer: string;
beforeAll(async () => {
  h = await startHarness({ withWorker: false });
  designer = await tokens.designer();
});
afterAll(() => h?.stop());

const model = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://example.com">
  <bpmn:process id="p" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;

async function deploy(
  body: BodyInit,
  headers: Record<string, string> = { 'content-type': 'application/xml' },
) {
  const res = await h.request('POST', '/definitions', { token: designer, body, headers });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
}

async function expectHealthyAndUnchanged() {
  expect((await h.request('GET', '/healthz')).status).toBe(200);
  const list = await h.request('GET', '/definitions', { token: designer });
  expect(await list.json()).toEqual([]);
}

describe('POST /definitions with bad input', () => {
  it('malformed XML -> 422 with a located diagnostic', async () => {
    const res = await deploy('<bpmn:definitions><bpmn:process id="p"></bpmn:definitions>');
    expect(res.status).toBe(422);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.diagnostics[0]).toMatchObject({ severity: 'error', line: expect.any(Number) });
    await expectHealthyAndUnchanged();
  });

  it('a DOCTYPE with entity declarations -> 422 doctype-forbidden', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>${model('<bpmn:startEvent id="s"/>').replace(/^<\?xml[^>]*>/, '')}`;
    const res = await deploy(xml);
    expect(res.status).toBe(422);
    expect(res.body.diagnostics.map((d: any) => d.code)).toContain('doctype-forbidden');
    await expectHealthyAndUnchanged();
  });

  it('a 20 MB body -> 413 before it is parsed', async () => {
    const res = await deploy(new Uint8Array(20 * 1024 * 1024).fill(0x20));
    expect(res.status).toBe(413);
    expect(res.body.title).toBe('Model too large');
    expect(res.body.diagnostics).toEqual([expect.objectContaining({ code: 'model-too-large' })]);
    await expectHealthyAndUnchanged();
  });

  it('an unsupported element -> 422 naming its id and line', async () => {
    const res = await deploy(
      model(`
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="weird" />
    <bpmn:complexGateway id="weird"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:complexGateway>
    <bpmn:sequenceFlow id="f2" sourceRef="weird" targetRef="e" />
    <bpmn:endEvent id="e"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>`),
    );
    expect(res.status).toBe(422);
    expect(res.body.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'unsupported-element', elementId: 'weird', line: 6 }),
    );
    await expectHealthyAndUnchanged();
  });

  it('a flow to a missing id -> 422 naming the flow', async () => {
    const res = await deploy(
      model(`
    <bpmn:startEvent id="s" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="nowhere" />
    <bpmn:endEvent id="e" />`),
    );
    expect(res.status).toBe(422);
    const diagnostic = res.body.diagnostics.find((d: any) => d.elementId === 'f1');
    expect(diagnostic).toMatchObject({ severity: 'error', line: 5 });
    expect(diagnostic.message).toContain('nowhere');
    await expectHealthyAndUnchanged();
  });

  it('an empty body and a non-XML body -> 422', async () => {
    expect((await deploy('')).status).toBe(422);
    expect((await deploy('{"not":"xml"}')).status).toBe(422);
    await expectHealthyAndUnchanged();
  });
});

describe('auth', () => {
  it('needs a valid bearer token with the right role', async () => {
    expect((await h.request('GET', '/definitions')).status).toBe(401);
    expect((await h.request('GET', '/definitions', { token: 'not.a.jwt' })).status).toBe(401);
    const asApplicant = await h.request('POST', '/definitions', {
      token: await tokens.applicant(),
      body: model('<bpmn:startEvent id="s"/>'),
    });
    expect(asApplicant.status).toBe(403);
    expect(asApplicant.headers.get('content-type')).toContain('application/problem+json');
  });

  it('a clerk sees only the inboxes of their groups', async () => {
    const res = await h.request('GET', '/tasks?group=tax-bureau', {
      token: await tokens.clerk(['land-registry']),
    });
    expect(res.status).toBe(403);
    const injected = await h.request('GET', `/tasks?group=${encodeURIComponent("x' OR 1=1")}`, {
      token: await tokens.clerk(["x' OR 1=1"]),
    });
    expect(injected.status).toBe(422);
  });

  it('serves its OpenAPI document without a token', async () => {
    const res = await h.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/definitions',
        '/applications',
        '/applications/{id}/trail',
        '/tasks/{id}/complete',
      ]),
    );
  });
});

describe('bad requests elsewhere', () => {
  it('malformed JSON, an unknown process and a bad id are 4xx problems, never 500', async () => {
    const applicant = await tokens.applicant();
    const bad = await h.request('POST', '/applications', {
      token: applicant,
      body: '{"processKey": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const unknown = await h.request('POST', '/applications', {
      token: applicant,
      json: { processKey: 'no-such-process', data: {} },
    });
    expect(unknown.status).toBe(404);
    const missing = await h.request('POST', '/applications', { token: applicant, json: { data: {} } });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { errors: { field: string }[] }).errors[0].field).toBe('processKey');
    const badId = await h.request('GET', '/applications/not-an-id', { token: applicant });
    expect(badId.status).toBe(422);
    const noApp = await h.request('GET', '/applications/app-0000000000000000', { token: applicant });
    expect(noApp.status).toBe(404);
  });
});
