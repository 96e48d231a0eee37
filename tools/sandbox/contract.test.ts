// @vitest-environment node
/* eslint-disable @typescript-eslint/no-explicit-any -- discovery documents and API responses are walked as loose JSON. */
/**
 * The sandbox against Google's and Microsoft's own descriptions, kept in tests/fixtures/reference/: every route,
 * query parameter and response field the sandbox serves must exist there, so providers built against the
 * sandbox are built against the real APIs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createMimeMessage } from 'mimetext';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gmailRoutes, GMAIL_QUERY } from './gmail-api';
import { graphRoutes } from './graph-api';
import { MESSAGE_PROPERTIES } from './graph-shape';
import { startSandbox, type Sandbox } from './server';

const REFERENCE = fileURLToPath(new URL('../../tests/fixtures/reference/', import.meta.url));

function reference(name: string): string {
  const path = REFERENCE + name;
  if (!existsSync(path)) {
    throw new Error(
      `Reference file missing: ${path}. The contract test reads the published API descriptions kept there; it does not skip.`,
    );
  }
  return readFileSync(path, 'utf8');
}

// ---------- Gmail: the discovery document ----------

interface DiscoveryMethod {
  httpMethod: string;
  path: string;
  parameters?: Record<string, { location: string }>;
}

let discovery: any;

function discoveryMethod(operation: string): DiscoveryMethod | undefined {
  const parts = operation.split('.');
  const name = parts.pop() ?? '';
  let node = discovery.resources.users;
  for (const r of parts) node = node?.resources?.[r];
  return node?.methods?.[name];
}

/** Field names (and JSON types) of a response, recursively, against a discovery schema. */
function gmailProblems(value: unknown, schemaName: string, at: string): string[] {
  const schema = discovery.schemas[schemaName];
  if (!schema) return [`${at}: no schema ${schemaName}`];
  if (typeof value !== 'object' || value === null) return [`${at}: expected an object for ${schemaName}`];
  const problems: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const prop = schema.properties?.[key];
    const path = `${at}.${key}`;
    if (!prop) {
      problems.push(`${path} is not a field of ${schemaName}`);
      continue;
    }
    if (prop.$ref) problems.push(...gmailProblems(v, prop.$ref, path));
    else if (prop.type === 'array') {
      if (!Array.isArray(v)) problems.push(`${path} should be an array`);
      else if (prop.items?.$ref)
        v.forEach((item, i) => problems.push(...gmailProblems(item, prop.items.$ref, `${path}[${i}]`)));
      else if (prop.items?.type === 'string' && v.some((s) => typeof s !== 'string'))
        problems.push(`${path} should hold strings`);
    } else if (prop.type === 'string' && typeof v !== 'string') {
      problems.push(`${path} should be a string (${prop.format ?? 'string'}), got ${typeof v}`);
    } else if (prop.type === 'integer' && !Number.isInteger(v)) problems.push(`${path} should be an integer`);
    else if (prop.type === 'boolean' && typeof v !== 'boolean') problems.push(`${path} should be a boolean`);
  }
  return problems;
}

// ---------- Graph: the CSDL and the operations ----------

interface CsdlType {
  base?: string;
  props: Map<string, string>;
}

const csdlTypes = new Map<string, CsdlType>();
const csdlEnums = new Map<string, string[]>();
let operations: any;

function parseCsdl(xml: string): void {
  const typeRe = /<(EntityType|ComplexType) Name="(\w+)"([^>]*?)(\/>|>([\s\S]*?)<\/\1>)/g;
  for (const m of xml.matchAll(typeRe)) {
    const base = /BaseType="graph\.(\w+)"/.exec(m[3] ?? '')?.[1];
    const props = new Map<string, string>();
    for (const p of (m[5] ?? '').matchAll(/<Property Name="(\w+)" Type="([^"]+)"/g))
      props.set(p[1] ?? '', p[2] ?? '');
    csdlTypes.set(m[2] ?? '', { base, props });
  }
  for (const m of xml.matchAll(/<EnumType Name="(\w+)"[^>]*>([\s\S]*?)<\/EnumType>/g)) {
    csdlEnums.set(
      m[1] ?? '',
      [...(m[2] ?? '').matchAll(/<Member Name="(\w+)"/g)].map((x) => x[1] ?? ''),
    );
  }
}

function allProps(typeName: string): Map<string, string> {
  const out = new Map<string, string>();
  for (let t = csdlTypes.get(typeName); t; t = t.base ? csdlTypes.get(t.base) : undefined) {
    for (const [k, v] of t.props) if (!out.has(k)) out.set(k, v);
  }
  return out;
}

function graphValueProblems(v: unknown, type: string, path: string): string[] {
  const collection = /^Collection\((.+)\)$/.exec(type);
  if (collection) {
    if (!Array.isArray(v)) return [`${path} should be a collection`];
    return v.flatMap((item, i) => graphValueProblems(item, collection[1] ?? '', `${path}[${i}]`));
  }
  if (v === null) return [];
  const name = type.replace(/^graph\./, '');
  if (csdlTypes.has(name)) return graphProblems(v, name, path);
  const members = csdlEnums.get(name);
  if (members)
    return typeof v === 'string' && members.includes(v)
      ? []
      : [`${path}: ${String(v)} is not a member of ${name}`];
  if (type === 'Edm.String' && typeof v !== 'string') return [`${path} should be a string`];
  if (type === 'Edm.Boolean' && typeof v !== 'boolean') return [`${path} should be a boolean`];
  if (type === 'Edm.DateTimeOffset' && (typeof v !== 'string' || Number.isNaN(Date.parse(v))))
    return [`${path} should be a date-time`];
  return [];
}

/** Every property of a Graph object exists on its CSDL type (or its bases), recursively; annotations aside. */
function graphProblems(value: unknown, typeName: string, at: string): string[] {
  if (typeof value !== 'object' || value === null) return [`${at}: expected an object for ${typeName}`];
  const props = allProps(typeName);
  const problems: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith('@odata.')) continue;
    const type = props.get(key);
    if (!type) problems.push(`${at}.${key} is not a property of ${typeName}`);
    else problems.push(...graphValueProblems(v, type, `${at}.${key}`));
  }
  return problems;
}

// ---------- exercising the sandbox ----------

let sb: Sandbox;
const REP = 'rep@example.com';
const OUTLOOK = 'rep@contoso.example';
const gmailResponses: { schema: string; label: string; body: unknown }[] = [];
const graphMessages: { label: string; body: unknown }[] = [];
/** Folder and rule resources (the mail filing the watcher must see through), with their CSDL type. */
const graphOthers: { type: string; label: string; body: unknown }[] = [];

async function call(base: string, address: string, path: string, init: RequestInit = {}): Promise<any> {
  const res = await fetch(path.startsWith('http') ? path : base + path, {
    ...init,
    headers: {
      authorization: `Bearer ${sb.tokenFor(address)}`,
      'content-type': 'application/json',
      prefer: 'IdType="ImmutableId"',
      ...init.headers,
    },
  });
  expect(res.status, `${init.method ?? 'GET'} ${path}`).toBeLessThan(300);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

beforeAll(async () => {
  discovery = JSON.parse(reference('gmail-v1.json'));
  parseCsdl(reference('graph-v1.0-mail.csdl.xml'));
  operations = JSON.parse(reference('graph-mail-operations.json'));

  sb = await startSandbox();
  sb.addMailbox(REP, 'gmail');
  sb.addMailbox(OUTLOOK, 'graph');

  const g = (path: string, init?: RequestInit) => call(sb.gmailBase, REP, path, init);
  const mime = createMimeMessage();
  mime.setSender(REP);
  mime.setTo('dana@prospect.example');
  mime.setSubject('Contract');
  mime.setHeader('Message-ID', '<contract@threadline.test>');
  mime.addMessage({ contentType: 'text/plain', data: 'Hello' });
  mime.addMessage({ contentType: 'text/html', data: '<p>Hello</p>' });
  const start = (await g('/users/me/profile')).historyId as string;
  const sent = await g('/users/me/messages/send', {
    method: 'POST',
    body: JSON.stringify({ raw: mime.asEncoded() }),
  });
  await sb.inject(REP, {
    from: 'dana@prospect.example',
    subject: 'Re: Contract',
    text: 'Thanks',
    inReplyTo: '<contract@threadline.test>',
  });
  const q = encodeURIComponent('rfc822msgid:<contract@threadline.test>');
  gmailResponses.push(
    { schema: 'Message', label: 'messages.send', body: sent },
    {
      schema: 'ListMessagesResponse',
      label: 'messages.list q',
      body: await g(`/users/me/messages?q=${q}&maxResults=5`),
    },
    {
      schema: 'ListMessagesResponse',
      label: 'messages.list page',
      body: await g('/users/me/messages?labelIds=INBOX&maxResults=1'),
    },
    { schema: 'Profile', label: 'getProfile', body: await g('/users/me/profile') },
    {
      schema: 'ListHistoryResponse',
      label: 'history.list',
      body: await g(`/users/me/history?startHistoryId=${start}&historyTypes=messageAdded&maxResults=1`),
    },
    {
      schema: 'ListHistoryResponse',
      label: 'history.list INBOX',
      body: await g(`/users/me/history?startHistoryId=${start}&labelId=INBOX`),
    },
    {
      schema: 'Thread',
      label: 'threads.get',
      body: await g(`/users/me/threads/${sent.threadId}?format=full`),
    },
  );
  gmailResponses.push({
    schema: 'Filter',
    label: 'settings.filters.create',
    body: await g('/users/me/settings/filters', {
      method: 'POST',
      body: JSON.stringify({
        criteria: { from: 'dana@prospect.example' },
        action: { removeLabelIds: ['INBOX'] },
      }),
    }),
  });
  for (const format of ['full', 'metadata', 'raw', 'minimal']) {
    const body = await g(`/users/me/messages/${sent.id}?format=${format}&metadataHeaders=Subject`);
    gmailResponses.push({ schema: 'Message', label: `messages.get ${format}`, body });
  }

  const m = (path: string, init?: RequestInit) => call(sb.graphBase, OUTLOOK, path, init);
  const draft = await m('/me/messages', {
    method: 'POST',
    body: JSON.stringify({
      subject: 'Contract',
      body: { contentType: 'html', content: '<p>Hello</p>' },
      toRecipients: [{ emailAddress: { address: 'dana@prospect.example', name: 'Dana' } }],
      internetMessageId: '<contract.graph@threadline.test>',
      internetMessageHeaders: [{ name: 'X-Threadline-Step', value: '1' }],
    }),
  });
  graphMessages.push({ label: 'create draft', body: draft });
  graphMessages.push({
    label: 'update',
    body: await m(`/me/messages/${draft.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ subject: 'Contract!' }),
    }),
  });
  graphMessages.push({
    label: 'get $select',
    body: await m(`/me/messages/${draft.id}?$select=internetMessageHeaders,internetMessageId`),
  });
  await m(`/me/messages/${draft.id}/send`, { method: 'POST' });
  graphMessages.push({ label: 'get sent', body: await m(`/me/messages/${draft.id}`) });
  const reply = await m(`/me/messages/${draft.id}/createReply`, {
    method: 'POST',
    body: JSON.stringify({
      message: { toRecipients: [{ emailAddress: { address: 'dana@prospect.example' } }] },
      comment: 'Bump',
    }),
  });
  graphMessages.push({ label: 'createReply', body: reply });
  const filter = encodeURIComponent("internetMessageId eq '<contract.graph@threadline.test>'");
  const found = await m(
    `/me/mailFolders/sentitems/messages?$filter=${filter}&$select=id,conversationId,internetMessageId&$top=1`,
  );
  found.value.forEach((v: unknown) => graphMessages.push({ label: 'sentitems filter', body: v }));
  const all = await m(`/me/messages?$filter=${filter}`);
  all.value.forEach((v: unknown) => graphMessages.push({ label: 'messages filter', body: v }));
  await sb.inject(OUTLOOK, {
    from: 'dana@prospect.example',
    subject: 'RE: Contract',
    text: 'Thanks',
    references: ['<contract.graph@threadline.test>'],
  });
  const delta = await m('/me/mailFolders/inbox/messages/delta');
  delta.value.forEach((v: unknown) => graphMessages.push({ label: 'delta', body: v }));
  const folder = await m('/me/mailFolders', {
    method: 'POST',
    body: JSON.stringify({ displayName: 'Customers' }),
  });
  graphOthers.push(
    { type: 'mailFolder', label: 'create folder', body: folder },
    { type: 'mailFolder', label: 'get folder', body: await m('/me/mailFolders/junkemail') },
    {
      type: 'messageRule',
      label: 'create rule',
      body: await m('/me/mailFolders/inbox/messageRules', {
        method: 'POST',
        body: JSON.stringify({
          displayName: 'Customers',
          sequence: 1,
          isEnabled: true,
          conditions: { fromAddresses: [{ emailAddress: { address: 'dana@prospect.example' } }] },
          actions: { moveToFolder: folder.id, stopProcessingRules: true },
        }),
      }),
    },
  );
  graphMessages.push({
    label: 'inbound with headers',
    body: await m(`/me/messages/${delta.value[0].id}?$select=internetMessageHeaders,from,body,toRecipients`),
  });
});

afterAll(() => sb?.stop());

describe('the checkers themselves', () => {
  it('flag a field or property that the description lacks, and a wrongly typed one', () => {
    expect(gmailProblems({ id: 'x', historyId: 12, colour: 'red' }, 'Message', 'm')).toEqual([
      'm.historyId should be a string (uint64), got number',
      'm.colour is not a field of Message',
    ]);
    expect(graphProblems({ id: 'x', body: { contentType: 'markdown' }, mood: 1 }, 'message', 'g')).toEqual([
      'g.body.contentType: markdown is not a member of bodyType',
      'g.mood is not a property of message',
    ]);
  });
});

describe('Gmail routes against gmail-v1.json', () => {
  it('serves only paths and HTTP methods that the discovery document defines', () => {
    for (const r of gmailRoutes) {
      const method = discoveryMethod(r.operation);
      expect(method, `${r.operation} in discovery`).toBeDefined();
      expect(method?.httpMethod).toBe(r.method);
      expect(method?.path).toBe(`gmail/v1${r.path}`);
    }
  });

  it('accepts only query parameters that the method defines', () => {
    for (const [operation, params] of Object.entries(GMAIL_QUERY)) {
      const defined = discoveryMethod(operation)?.parameters ?? {};
      for (const p of params) expect(defined[p]?.location, `${operation} ?${p}`).toBe('query');
    }
  });

  it('answers with field names and JSON types from the schemas, recursively', () => {
    expect(gmailResponses.length).toBeGreaterThan(8);
    const problems = gmailResponses.flatMap((r) => gmailProblems(r.body, r.schema, r.label));
    expect(problems).toEqual([]);
  });

  it('pages history and lists as Google does', () => {
    const history = gmailResponses.find((r) => r.label === 'history.list')?.body as any;
    expect(history.history).toHaveLength(1);
    expect(history.nextPageToken).toBeTruthy();
    const inbox = gmailResponses.find((r) => r.label === 'history.list INBOX')?.body as any;
    expect(inbox.history).toHaveLength(1);
    expect(inbox.nextPageToken).toBeUndefined();
    const list = gmailResponses.find((r) => r.label === 'messages.list page')?.body as any;
    expect(list.messages).toHaveLength(1);
    expect(list.resultSizeEstimate).toBe(1);
  });
});

describe('Graph routes against the CSDL and graph-mail-operations.json', () => {
  it('knows exactly the structural properties of message and its base types', () => {
    expect([...allProps('message').keys()].sort()).toEqual([...MESSAGE_PROPERTIES].sort());
  });

  it('answers message resources whose every property exists on message, outlookItem or entity', () => {
    expect(graphMessages.length).toBeGreaterThan(8);
    const problems = graphMessages.flatMap((r) => graphProblems(r.body, 'message', r.label));
    expect(problems).toEqual([]);
  });

  it('serves only documented operations, bound to message, and documented paths', () => {
    const paths = Object.keys(operations.paths as Record<string, string>).flatMap((k) => {
      const [methods = '', path = ''] = k.split(' ');
      return methods.split('|').map((m) => `${m} ${path}`);
    });
    // Collections the CSDL declares as contained navigation properties (user.messages, user.mailFolders,
    // mailFolder.messages, mailFolder.messageRules): OData lets a client list and create in them.
    const navigation = [
      'GET /me/messages',
      'GET /me/mailFolders/{id}/messages',
      'GET /me/mailFolders',
      'POST /me/mailFolders',
      'POST /me/mailFolders/{id}/messageRules',
    ];
    const csdl = reference('graph-v1.0-mail.csdl.xml');
    expect(csdl).toContain('<NavigationProperty Name="mailFolders" Type="Collection(graph.mailFolder)"');
    expect(csdl).toContain('<NavigationProperty Name="messageRules" Type="Collection(graph.messageRule)"');
    for (const r of graphRoutes) {
      const key = `${r.method} ${r.path}`;
      const bindings = (operations.operations as any[])
        .filter((o) => o.name === r.operation)
        .map((o) => o.bindingType);
      if (bindings.length > 0) {
        const binding =
          { sendMail: 'graph.user', delta: 'Collection(graph.message)' }[r.operation] ?? 'graph.message';
        expect(bindings, key).toContain(binding);
        expect(paths, key).toContain(key);
        continue;
      }
      // Entity access by key, its media ($value) and updates follow OData conventions on a documented collection.
      const collection = key.replace(/^(GET|PATCH) /, 'GET ').replace(/\/\{id\}(\/\$value)?$/, '');
      expect([...paths, ...navigation], key).toContain(collection === key ? key : collection);
    }
    expect(allProps('mailFolder').size).toBeGreaterThan(0);
    expect(reference('graph-v1.0-mail.csdl.xml')).toContain(
      '<NavigationProperty Name="messages" Type="Collection(graph.message)"',
    );
  });

  it('answers mail folders and inbox rules with only the properties of mailFolder and messageRule', () => {
    expect(graphOthers.map((o) => o.label)).toEqual(['create folder', 'get folder', 'create rule']);
    const problems = graphOthers.flatMap((o) => graphProblems(o.body, o.type, o.label));
    expect(problems).toEqual([]);
  });

  it('accepts the createReply and sendMail parameters that the operations define', () => {
    const params = (name: string) =>
      (operations.operations as any[])
        .find((o) => o.name === name && o.bindingType !== 'graph.mailFolder')
        .parameters.map((p: { name: string }) => p.name.toLowerCase());
    expect(params('createReply')).toEqual(expect.arrayContaining(['message', 'comment']));
    expect(params('sendMail')).toEqual(expect.arrayContaining(['message']));
  });
});
