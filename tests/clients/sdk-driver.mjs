// Drives one TypeScript SDK version through one scenario and prints a single JSON line:
//   node sdk-driver.mjs <sdk-1-12|sdk-0-137> <scenario>
// Environment: CLIENT_BASE_URL (the proxy or the fake upstream), CLIENT_KEY (a placeholder
// credential). The SDK's own retry policy is left at its default: the tests compare retry counts.
// Every request the SDK hands to fetch is recorded (method, URL, headers, body SHA-256) so the
// test can compare it with what the upstream received.
import { createHash } from 'node:crypto';

const [alias, scenario] = process.argv.slice(2);
const baseURL = process.env.CLIENT_BASE_URL;
const key = process.env.CLIENT_KEY;
if (!alias || !scenario || !baseURL || !key) {
  console.error('usage: CLIENT_BASE_URL=… CLIENT_KEY=… node sdk-driver.mjs <sdk-alias> <scenario>');
  process.exit(2);
}

const { default: Anthropic } = await import(alias);
const model = 'claude-fake-1';
const sent = [];

function bodyBytes(body) {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new Error(`unexpected request body type ${Object.prototype.toString.call(body)}`);
}

async function recordingFetch(url, init = {}) {
  const bytes = bodyBytes(init.body);
  const headers = {};
  new Headers(init.headers).forEach((value, name) => { headers[name] = value; });
  sent.push({
    method: init.method ?? 'GET',
    url: String(url),
    headers,
    bodySha256: createHash('sha256').update(bytes).digest('hex'),
    bodyLength: bytes.length,
  });
  return fetch(url, init);
}

const client = new Anthropic({ apiKey: key, baseURL, fetch: recordingFetch, timeout: 30_000 });

const user = (text) => [{ role: 'user', content: text }];
const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city.',
  input_schema: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] },
};

async function streamed(params) {
  const stream = client.messages.stream(params);
  const eventTypes = [];
  const deltaTypes = [];
  stream.on('streamEvent', (event) => {
    eventTypes.push(event.type);
    if (event.type === 'content_block_delta') deltaTypes.push(event.delta.type);
  });
  const message = await stream.finalMessage();
  return { message, eventTypes, deltaTypes };
}

const scenarios = {
  create: () => client.messages.create({ model, max_tokens: 64, messages: user('Say hello.') }),
  'stream-text': () => streamed({ model, max_tokens: 64, messages: user('[text] Say hello in several words.') }),
  'stream-tool': () => streamed({ model, max_tokens: 256, tools: [weatherTool], messages: user('[tool] What is the weather in Lisbon?') }),
  'stream-thinking': () => streamed({
    model,
    max_tokens: 2048,
    thinking: { type: 'enabled', budget_tokens: 1024 },
    messages: user('[thinking] Think, then answer.'),
  }),
  'count-tokens': () => client.messages.countTokens({ model, messages: user('Count these tokens, please.') }),
  models: async () => {
    const ids = [];
    for await (const info of client.models.list()) ids.push(info.id);
    return { ids };
  },
  'beta-unknown': () => client.beta.messages.create({
    model,
    max_tokens: 64,
    betas: ['future-feature-2099-01-01'],
    messages: user('Beta request with an unknown field.'),
    future_field_isoproxy: { nested: [1, 'two', { three: true }] },
  }),
  // Retry and gzip scenarios are a plain create: the test scripts the upstream's answers.
  retry: () => client.messages.create({ model, max_tokens: 64, messages: user('Retry me.') }),
  gzip: () => client.messages.create({ model, max_tokens: 64, messages: user('Compressed reply, please.') }),
};

const run = scenarios[scenario];
if (!run) {
  console.error(`unknown scenario ${scenario}; known: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}

const started = performance.now();
const output = { sdk: alias, scenario, ok: false, result: null, error: null, sent, elapsedMs: 0 };
try {
  output.result = await run();
  output.ok = true;
} catch (error) {
  output.error = {
    name: error?.constructor?.name ?? 'Error',
    status: error?.status ?? null,
    message: String(error?.message ?? error),
    body: error?.error ?? null,
  };
}
output.elapsedMs = Math.round(performance.now() - started);
process.stdout.write(JSON.stringify(output) + '\n');
