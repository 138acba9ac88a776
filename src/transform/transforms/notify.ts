// taskgraph.transforms.notify: `notify` (or the legacy `notifications`) on a
// task becomes Taskcluster notify routes, `notify.<type>.<recipient>.<status>`,
// and the message content in `extra.notify`, in the spelling the notify
// service reads (`matrixFormattedBody`, `slackText`, …). Strings may name
// `{task[...]}` and `{config[...]}` as in taskgraph, and email addresses may be
// keyed by project or level.
import type { Diagnostic, YamlPath } from '../diagnostics.js';
import { resolveKeyedBy } from '../keyed-by.js';
import { isRecord } from '../plain-data.js';
import { FormatError, pythonFormat } from './substitute/python-format.js';
import { validateValue } from '../validate/validate-schema.js';
import type { KindTransform, TransformContext, TransformItem } from './types.js';

/** The field of each recipient type that names it in the route. */
const ROUTE_KEY: Readonly<Record<string, string>> = {
  email: 'address',
  'matrix-room': 'room-id',
  pulse: 'routing-key',
  'slack-channel': 'channel-id',
};

type Notify = { recipients: Record<string, unknown>[]; content?: Record<string, Record<string, unknown>> };

export const notifyTransform: KindTransform = (items, context) => {
  const out: TransformItem[] = [];
  for (const item of items) {
    const converted = convert(item, context);
    if (converted) out.push(converted);
  }
  return out;
};

function convert(item: TransformItem, context: TransformContext): TransformItem | undefined {
  const { notify: given, notifications, ...rest } = item.value;
  if (given === undefined && notifications === undefined) return item;
  const fail = (path: YamlPath, message: string, expected?: string): undefined => {
    context.diagnostics.push({ severity: 'error', message, location: item.source.locate(path), path, ...(expected ? { expected } : {}) });
    return undefined;
  };
  if (given !== undefined && notifications !== undefined) {
    return fail(['notifications'], `task ${item.kind}-${item.name} has both notify and notifications`, 'one of them: notifications is the legacy form of notify');
  }
  const problems = validateValue('notify', given !== undefined ? { notify: given } : { notifications }, item.source);
  if (problems.length) {
    context.diagnostics.push(...problems);
    return undefined;
  }
  const { params } = context.graph;
  const keyedBy = { level: params.level, project: params.project };
  const notify: Notify = given !== undefined ? structuredClone(given as Notify) : legacyNotify(notifications as Record<string, unknown>);
  if (given === undefined) {
    const emails = resolveKeyedBy({ emails: (notifications as Record<string, unknown>).emails }, sourceUnder(item, 'notifications'), keyedBy);
    if (emails.diagnostics.length) return void context.diagnostics.push(...emails.diagnostics);
    notify.recipients = legacyRecipients(emails.value.emails as string[], notifications as Record<string, unknown>);
  }

  // What `{task[...]}` and `{config[...]}` see: the task as written (with its name) and the kind.
  const names = { task: { ...rest, name: item.name }, config: { kind: item.kind, path: context.kind.dir, config: context.kind.config } };
  const format = (value: unknown, path: YamlPath): unknown => {
    if (typeof value === 'string') {
      try {
        return pythonFormat(value, names);
      } catch (error) {
        if (error instanceof FormatError) throw new FormatFailure(path, error.message);
        throw error;
      }
    }
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, format(v, [...path, k])]));
    return value;
  };

  const routes = Array.isArray(rest.routes) ? [...(rest.routes as string[])] : [];
  const base: YamlPath = given !== undefined ? ['notify'] : ['notifications'];
  try {
    notify.recipients.forEach((raw, index) => {
      const recipient = format({ 'status-type': 'on-completed', ...raw }, [...base, 'recipients', index]) as Record<string, unknown>;
      let target = recipient[ROUTE_KEY[String(recipient.type)]!];
      if (recipient.type === 'email' && isRecord(target)) {
        const resolved = resolveKeyedBy({ address: target }, sourceUnder(item, ...base, 'recipients', index), keyedBy);
        if (resolved.diagnostics.length) throw new KeyedFailure(resolved.diagnostics);
        target = resolved.value.address;
      }
      routes.push(`notify.${String(recipient.type)}.${String(target)}.${String(recipient['status-type'])}`);
    });
    const value: Record<string, unknown> = { ...rest, routes };
    if (notify.content) {
      const extra = isRecord(rest.extra) ? { ...rest.extra } : {};
      extra.notify = serviceContent(format(notify.content, [...base, 'content']) as Record<string, Record<string, unknown>>);
      value.extra = extra;
    }
    return { ...item, value };
  } catch (error) {
    if (error instanceof FormatFailure) return fail(error.path, `${item.kind}-${item.name}: ${error.message}`, '{task[<key>]} or {config[kind]}; write {{ and }} for braces');
    if (error instanceof KeyedFailure) return void context.diagnostics.push(...error.diagnostics);
    throw error;
  }
}

class FormatFailure extends Error {
  constructor(readonly path: YamlPath, message: string) {
    super(message);
  }
}

class KeyedFailure extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super('keyed-by');
  }
}

/** Positions of a part of the task, for resolving keyed-by values there. */
function sourceUnder(item: TransformItem, ...prefix: YamlPath) {
  return { locate: (path: YamlPath) => item.source.locate([...prefix, ...path]) };
}

/** The legacy form: every address gets every status type (default on-completed); the message defaults to the subject. */
function legacyNotify(legacy: Record<string, unknown>): Notify {
  const subject = String(legacy.subject);
  return { recipients: [], content: { email: { subject, content: typeof legacy.message === 'string' ? legacy.message : subject } } };
}

function legacyRecipients(emails: readonly string[], legacy: Record<string, unknown>): Record<string, unknown>[] {
  const statusTypes = Array.isArray(legacy['status-types']) ? (legacy['status-types'] as string[]) : ['on-completed'];
  return emails.flatMap((address) => statusTypes.map((status) => ({ type: 'email', address, 'status-type': status })));
}

/** `email` stays as it is; `matrix: {formatted-body}` becomes `matrixFormattedBody`, and so on. */
function serviceContent(content: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (content.email) out.email = content.email;
  for (const [channel, fields] of Object.entries(content)) {
    if (channel === 'email') continue;
    for (const [name, value] of Object.entries(fields)) {
      const camel = name
        .split('-')
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
        .join('');
      out[`${channel}${camel}`] = value;
    }
  }
  return out;
}
