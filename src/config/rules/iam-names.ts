import type { Code } from '../codes.js';
import type { RuleContext, RuleFamily } from './context.js';
import { section, type Entry, type Section } from './view.js';

const IAM_NAME = /^[A-Za-z0-9+=,.@_-]+$/;
const IAM_PATH = /^\/(?:[\x21-\x7e]*\/)?$/;
const MAX_PATH = 512;

interface Kind {
  section: Section;
  noun: string;
  max: number;
  nameCode: Code;
  duplicateCode: Code;
}

const KINDS: Kind[] = [
  { section: 'users', noun: 'user', max: 64, nameCode: 'RC7001', duplicateCode: 'RC7004' },
  { section: 'policies', noun: 'policy', max: 128, nameCode: 'RC7002', duplicateCode: 'RC7005' },
];

function checkName(ctx: RuleContext, kind: Kind, entry: Entry): void {
  const { name } = entry;
  if (name.length >= 1 && name.length <= kind.max && IAM_NAME.test(name)) return;
  const bad = [...new Set(name.replace(/[A-Za-z0-9+=,.@_-]/g, ''))];
  const fixed = name.replace(/[^A-Za-z0-9+=,.@_-]+/g, '-').slice(0, kind.max);
  ctx.report({
    code: kind.nameCode,
    path: entry.path,
    key: true,
    message:
      bad.length > 0
        ? `IAM ${kind.noun} name "${name}" contains ${bad.map((c) => JSON.stringify(c)).join(', ')}; allowed are letters, digits and + = , . @ _ -`
        : `IAM ${kind.noun} name "${name.slice(0, 40)}${name.length > 40 ? '…' : ''}" is ${name.length} characters long; it must be 1-${kind.max}`,
    ...(fixed !== name && fixed.length > 0 ? { hint: `use "${fixed}"` } : {}),
  });
}

function checkPath(ctx: RuleContext, kind: Kind, entry: Entry): void {
  if (!('path' in entry.value)) return;
  const path = entry.value.path;
  if (typeof path !== 'string') return; // the schema reports the type
  if (path.length <= MAX_PATH && IAM_PATH.test(path)) return;
  const fixed = `/${path.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
  ctx.report({
    code: 'RC7003',
    path: [...entry.path, 'path'],
    message:
      path.length > MAX_PATH
        ? `IAM path of ${kind.noun} "${entry.name}" is ${path.length} characters long; the limit is ${MAX_PATH}`
        : `IAM path "${path}" of ${kind.noun} "${entry.name}" must begin and end with / and hold only printable ASCII without spaces`,
    ...(IAM_PATH.test(fixed) && fixed !== path && fixed.length <= MAX_PATH ? { hint: `use "${fixed}"` } : {}),
  });
}

export const iamNameRules: RuleFamily = {
  name: 'IAM names and paths',
  check(ctx) {
    for (const kind of KINDS) {
      const byLowerName = new Map<string, Entry>();
      for (const entry of section(ctx.root, kind.section)) {
        checkName(ctx, kind, entry);
        checkPath(ctx, kind, entry);
        const lower = entry.name.toLowerCase();
        const first = byLowerName.get(lower);
        if (!first) {
          byLowerName.set(lower, entry);
          continue;
        }
        ctx.report({
          code: kind.duplicateCode,
          path: entry.path,
          key: true,
          message: `IAM ${kind.noun} "${entry.name}" and "${first.name}" differ only in case; AWS treats them as the same ${kind.noun}`,
          hint: `rename one of them`,
          related: [{ message: `"${first.name}" is declared here`, path: first.path, key: true }],
        });
      }
    }
  },
};
