// Camunda forms (form-js schemas) rendered with the form-js Viewer, as Camunda Tasklist does.
// Contract: <form data-camunda-form> holding
//   <script type="application/json" class="gf-form-schema"> the schema </script>
//   <input type="hidden" name="data">  and a <div class="gf-form-body"> to render into
// On submit form-js validates; when valid its data goes into `data` as JSON and the form posts
// (with the decision button pressed); otherwise the post is stopped and form-js shows the errors.
import { Form } from '@bpmn-io/form-js-viewer';

async function mount(form: HTMLFormElement): Promise<void> {
  const schemaBlock = form.querySelector<HTMLScriptElement>('script.gf-form-schema');
  const body = form.querySelector<HTMLElement>('.gf-form-body');
  const data = form.querySelector<HTMLInputElement>('input[name="data"]');
  // Until the form is drawn and valid nothing is posted (an empty `data` would skip the form).
  let viewer: InstanceType<typeof Form> | undefined;
  form.addEventListener('submit', (event) => {
    if (!viewer || !data) {
      event.preventDefault();
      return;
    }
    const { data: values, errors } = viewer.submit();
    if (Object.keys(errors).length > 0) {
      event.preventDefault();
      form.dataset.state = 'invalid';
      return;
    }
    data.value = JSON.stringify(values);
  });
  if (!schemaBlock || !body || !data) {
    form.dataset.state = 'error';
    form.prepend(
      `form: missing ${!schemaBlock ? 'its schema block' : !body ? 'its .gf-form-body' : 'its data input'}`,
    );
    return;
  }
  let schema: unknown;
  try {
    schema = JSON.parse(schemaBlock.textContent ?? '');
  } catch (err) {
    body.textContent = `form schema: ${(err as Error).message}`;
    form.dataset.state = 'error';
    return;
  }
  let initial: Record<string, unknown> = {};
  try {
    initial = data.value ? JSON.parse(data.value) : {};
  } catch {
    // Not JSON: start empty; the API checks what is posted anyway.
  }
  const drawn = new Form({ container: body });
  try {
    await drawn.importSchema(schema, initial);
  } catch (err) {
    body.textContent = `form schema: ${(err as Error).message}`;
    form.dataset.state = 'error';
    return;
  }
  viewer = drawn;
  form.dataset.state = 'ready';
}

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-camunda-form]')) void mount(form);
