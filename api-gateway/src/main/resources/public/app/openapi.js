// Renders /openapi.json as a plain list of operations: method, path, what it needs and answers.
const target = document.getElementById('operations');

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function schemaName(content) {
  const media = content && (content['application/json'] || content['application/problem+json']);
  const schema = media && media.schema;
  if (!schema) return '';
  if (schema.$ref) return schema.$ref.split('/').pop();
  return schema.type || '';
}

async function render() {
  const doc = await (await fetch('/openapi.json')).json();
  const list = el('dl');
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      list.append(el('dt', `${method.toUpperCase()} ${path}`, 'operation'));
      const params = (op.parameters || []).map((p) => `${p.name} (${p.in}${p.required ? ', required' : ''})`).join(', ');
      const body = op.requestBody ? schemaName(op.requestBody.content) : '';
      const answers = Object.entries(op.responses || {}).map(([code, r]) => `${code}${schemaName(r.content) ? ' ' + schemaName(r.content) : ''}`).join(', ');
      const dd = el('dd');
      if (params) dd.append(el('p', `Parameters: ${params}`));
      if (body) dd.append(el('p', `Body: ${body}`));
      dd.append(el('p', `Answers: ${answers}`));
      list.append(dd);
    }
  }
  target.replaceChildren(list);
}

render().catch((e) => { target.textContent = `The API description could not be loaded: ${e.message}`; });
