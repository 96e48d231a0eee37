/**
 * What files mail away from the Inbox as it arrives: Gmail filters (users.settings.filters.create, "skip the
 * Inbox" is `removeLabelIds: ["INBOX"]`) and Outlook inbox rules (POST /me/mailFolders/inbox/messageRules,
 * `moveToFolder`), plus the folders a rule files into (POST /me/mailFolders). Shapes as in gmail-v1.json's
 * Filter and the CSDL's messageRule and mailFolder; only the criteria and conditions below are implemented,
 * anything else is refused by name rather than ignored.
 */
import { randomBytes } from 'node:crypto';
import { isRecord, type ApiContext } from './context';
import { gmailError, graphError, type Reply } from './errors';
import { FOLDERS, folderFrom, folderId, folderName } from './graph-shape';
import type { ParsedMail } from './mime';
import type { GmailFilter, GraphFolder, GraphRule, Mailbox } from './store';

/** Labels a filter may add or remove without labels.create (user labels are not in the sandbox). */
const SYSTEM_LABELS = new Set(['INBOX', 'UNREAD', 'STARRED', 'IMPORTANT', 'SPAM', 'TRASH']);
const CATEGORY = /^CATEGORY_(PERSONAL|SOCIAL|PROMOTIONS|UPDATES|FORUMS)$/;
const FILTER_CRITERIA = new Set(['from', 'to', 'subject']);

const includes = (hay: string, needle: string) => hay.toLowerCase().includes(needle.trim().toLowerCase());

function filterMatches(f: GmailFilter, m: ParsedMail): boolean {
  const { from, to, subject } = f.criteria;
  return (
    (from === undefined || includes(`${m.fromName} ${m.from}`, from)) &&
    (to === undefined || [...m.to, ...m.cc, ...m.bcc].some((a) => includes(a, to))) &&
    (subject === undefined || includes(m.subject, subject))
  );
}

/** The labels a message arriving in a Gmail mailbox ends up with once every matching filter has acted. */
export function gmailLabelsOnArrival(box: Mailbox, parsed: ParsedMail, labels: string[]): string[] {
  const out = new Set(labels);
  for (const f of box.filters) {
    if (!filterMatches(f, parsed)) continue;
    for (const l of f.action.removeLabelIds ?? []) out.delete(l);
    for (const l of f.action.addLabelIds ?? []) out.add(l);
  }
  return [...out];
}

function ruleMatches(r: GraphRule, m: ParsedMail): boolean {
  const c = r.conditions;
  return (
    (c.fromAddresses === undefined ||
      c.fromAddresses.some((a) => a.emailAddress.address.toLowerCase() === m.from)) &&
    (c.senderContains === undefined ||
      c.senderContains.some((s) => includes(`${m.fromName} ${m.from}`, s))) &&
    (c.subjectContains === undefined || c.subjectContains.some((s) => includes(m.subject, s)))
  );
}

/** The folder a message arriving in an Outlook mailbox is filed in, after its inbox rules in sequence order. */
export function graphFolderOnArrival(box: Mailbox, parsed: ParsedMail): GraphFolder {
  let folder: GraphFolder = 'inbox';
  for (const r of [...box.rules].sort((a, b) => a.sequence - b.sequence)) {
    if (!r.isEnabled || !ruleMatches(r, parsed)) continue;
    if (r.actions.moveToFolder) folder = folderFrom(box, r.actions.moveToFolder) ?? folder;
    if (r.actions.stopProcessingRules) break;
  }
  return folder;
}

// ---------- Gmail: users.settings.filters.create ----------

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
}

export function createGmailFilter(ctx: ApiContext): Reply {
  const invalid = (message: string) => gmailError(400, message, 'invalidArgument');
  if (ctx.bodyError || !isRecord(ctx.body)) return invalid('Invalid JSON payload received.');
  const { criteria, action } = ctx.body;
  if (!isRecord(criteria) || !isRecord(action)) return invalid('Filter criteria and action are required.');
  const unknown = Object.keys(criteria).find((k) => !FILTER_CRITERIA.has(k));
  if (unknown) return invalid(`The sandbox does not implement filter criteria '${unknown}'.`);
  const picked: GmailFilter['criteria'] = {};
  for (const key of FILTER_CRITERIA) {
    const v = criteria[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.trim() === '')
      return invalid(`Invalid value at 'filter.criteria.${key}'.`);
    picked[key as keyof GmailFilter['criteria']] = v;
  }
  if (Object.keys(picked).length === 0) return invalid('Filter has no criteria.');
  if (action.forward !== undefined)
    return invalid('The sandbox does not implement forwarding filters (forward).');
  const add = action.addLabelIds === undefined ? [] : stringList(action.addLabelIds);
  const remove = action.removeLabelIds === undefined ? [] : stringList(action.removeLabelIds);
  if (!add || !remove) return invalid('addLabelIds and removeLabelIds must be lists of label ids.');
  if (add.length + remove.length === 0) return invalid('Filter has no action.');
  const bad = [...add, ...remove].find((l) => !SYSTEM_LABELS.has(l) && !CATEGORY.test(l));
  if (bad) return invalid(`Invalid label: ${bad}`);
  const filter: GmailFilter = {
    id: `ANe1Bm${randomBytes(12).toString('base64url')}`,
    criteria: picked,
    action: {
      ...(add.length ? { addLabelIds: add } : {}),
      ...(remove.length ? { removeLabelIds: remove } : {}),
    },
  };
  ctx.mailbox.filters.push(filter);
  return { status: 200, body: filter };
}

// ---------- Graph: mail folders and inbox rules ----------

const graphBad = (code: string, message: string): Reply => graphError(400, code, message);

function folderJson(ctx: ApiContext, folder: GraphFolder): Record<string, unknown> {
  const box = ctx.mailbox;
  const inFolder = box.messages.filter((m) => m.folder === folder);
  return {
    '@odata.context': `${ctx.origin}/graph/v1.0/$metadata#users('${box.address}')/mailFolders/$entity`,
    id: folderId(box, folder),
    displayName: folderName(box, folder),
    parentFolderId: folderId(box, 'msgfolderroot'),
    childFolderCount: 0,
    unreadItemCount: inFolder.filter((m) => !m.isRead).length,
    totalItemCount: inFolder.length,
    isHidden: false,
  };
}

export function getMailFolder(ctx: ApiContext, [ref = '']: string[]): Reply {
  const folder = folderFrom(ctx.mailbox, ref);
  return folder
    ? { status: 200, body: folderJson(ctx, folder) }
    : graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
}

export function createMailFolder(ctx: ApiContext): Reply {
  const box = ctx.mailbox;
  if (ctx.bodyError || !isRecord(ctx.body))
    return graphBad('RequestBodyRead', 'The request body must be a JSON mailFolder.');
  const name = ctx.body.displayName;
  if (typeof name !== 'string' || name.trim() === '')
    return graphBad('ErrorInvalidParameter', "The 'displayName' of a folder is required.");
  const taken = [...FOLDERS.map((f) => folderName(box, f)), ...box.folders.values()];
  if (taken.some((n) => n.toLowerCase() === name.trim().toLowerCase()))
    return graphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
  const key = `folder-${box.folders.size + 1}`;
  box.folders.set(key, name.trim());
  return { status: 201, body: folderJson(ctx, key) };
}

function recipientList(v: unknown): GraphRule['conditions']['fromAddresses'] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: NonNullable<GraphRule['conditions']['fromAddresses']> = [];
  for (const r of v) {
    const address = isRecord(r) && isRecord(r.emailAddress) ? r.emailAddress.address : undefined;
    if (typeof address !== 'string' || !address.includes('@')) return undefined;
    out.push({ emailAddress: { address: address.toLowerCase() } });
  }
  return out;
}

const CONDITIONS = new Set(['fromAddresses', 'senderContains', 'subjectContains']);
const ACTIONS = new Set(['moveToFolder', 'stopProcessingRules']);

export function createMessageRule(ctx: ApiContext, [ref = '']: string[]): Reply {
  const box = ctx.mailbox;
  // Graph keeps rules on the Inbox only.
  if (folderFrom(box, ref) !== 'inbox')
    return graphBad('ErrorInvalidRequest', 'Message rules can only be created on the Inbox folder.');
  if (ctx.bodyError || !isRecord(ctx.body))
    return graphBad('RequestBodyRead', 'The request body must be a JSON messageRule.');
  const { displayName, sequence, isEnabled, conditions, actions } = ctx.body;
  if (typeof displayName !== 'string' || displayName.trim() === '')
    return graphBad('ErrorInvalidParameter', "The rule's 'displayName' is required.");
  if (!Number.isInteger(sequence) || (sequence as number) < 1)
    return graphBad('ErrorInvalidParameter', "The rule's 'sequence' must be an integer of 1 or more.");
  if (!isRecord(conditions) || !isRecord(actions))
    return graphBad('ErrorInvalidParameter', "The rule needs 'conditions' and 'actions'.");
  const unsupported =
    Object.keys(conditions).find((k) => !CONDITIONS.has(k)) ??
    Object.keys(actions).find((k) => !ACTIONS.has(k));
  if (unsupported)
    return graphBad('ErrorInvalidParameter', `The sandbox does not implement '${unsupported}'.`);
  const rule: GraphRule = {
    id: `AQAAA${randomBytes(6).toString('base64url')}=`,
    displayName: displayName.trim(),
    sequence: sequence as number,
    isEnabled: isEnabled !== false,
    conditions: {},
    actions: {},
  };
  if (conditions.fromAddresses !== undefined) {
    const list = recipientList(conditions.fromAddresses);
    if (!list)
      return graphBad('ErrorInvalidRecipients', "At least one address in 'fromAddresses' isn't valid.");
    rule.conditions.fromAddresses = list;
  }
  for (const key of ['senderContains', 'subjectContains'] as const) {
    if (conditions[key] === undefined) continue;
    const list = stringList(conditions[key]);
    if (!list) return graphBad('ErrorInvalidParameter', `'${key}' must be a collection of strings.`);
    rule.conditions[key] = list;
  }
  if (Object.keys(rule.conditions).length === 0)
    return graphBad('ErrorInvalidParameter', 'The rule has no condition.');
  if (actions.moveToFolder !== undefined) {
    if (typeof actions.moveToFolder !== 'string' || !folderFrom(box, actions.moveToFolder))
      return graphBad('ErrorInvalidRuleAction', "The folder in 'moveToFolder' does not exist.");
    rule.actions.moveToFolder = actions.moveToFolder;
  }
  if (actions.stopProcessingRules !== undefined)
    rule.actions.stopProcessingRules = actions.stopProcessingRules === true;
  box.rules.push(rule);
  return {
    status: 201,
    body: {
      '@odata.context': `${ctx.origin}/graph/v1.0/$metadata#users('${box.address}')/mailFolders('inbox')/messageRules/$entity`,
      ...rule,
      hasError: false,
      isReadOnly: false,
    },
  };
}
