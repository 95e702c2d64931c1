import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { AWS_REGIONS } from '../../../src/config/regions.js';
import { storageSchema } from '../../../src/config/schema-check.js';
import { repoRoot } from '../../support/aws.js';

/**
 * Keeps src/config/types.ts in lockstep with schemas/storage.schema.json: every interface has
 * exactly the schema's properties, optional exactly where the schema does not require them, and
 * the string-literal unions list exactly the schema's enums. Add a row when you add a type.
 */

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; required?: string[]; enum?: unknown[]; oneOf?: Schema[]; items?: Schema; $ref?: string };

const definitions = (storageSchema as { definitions: Record<string, Schema> }).definitions;

function resolve(schema: Schema): Schema {
  if (typeof schema.$ref === 'string') return definitions[schema.$ref.replace('#/definitions/', '')] as Schema;
  return schema;
}

function at(path: string): Schema {
  let node: Schema = storageSchema as Schema;
  for (const part of path.split('/').filter(Boolean)) node = resolve((node as Record<string, Schema>)[part] as Schema);
  return resolve(node);
}

const interfaceToSchema: Record<string, string> = {
  StorageConfig: '',
  BucketConfig: 'definitions/bucket',
  CorsRule: 'definitions/corsRule',
  Grant: 'definitions/grant',
  PolicyConfig: 'definitions/policy',
  PolicyDocument: 'definitions/policyDocument',
  PolicyStatement: 'definitions/policyStatement',
  UserConfig: 'definitions/user',
  PublicAccessBlockFlags: 'definitions/publicAccessBlock/oneOf/1',
  LifecycleTag: 'definitions/lifecycleTag',
  LifecycleFilter: 'definitions/lifecycleFilter',
  LifecycleAnd: 'definitions/lifecycleFilter/properties/And',
  LifecycleRule: 'definitions/lifecycleRule',
  LifecycleExpiration: 'definitions/lifecycleRule/properties/Expiration',
  LifecycleTransition: 'definitions/lifecycleRule/properties/Transitions/items',
  LifecycleNoncurrentTransition: 'definitions/lifecycleRule/properties/NoncurrentVersionTransitions/items',
  AccessKeyConfig: 'definitions/user/properties/accessKey/oneOf/1',
};

/** Interfaces only ever extended (their properties are checked through the extending ones). */
const mixins = ['Ownership'];

const unionToEnum: Record<string, string> = {
  GrantAccess: 'definitions/grant/properties/access',
  ObjectOwnership: 'definitions/objectOwnership',
};

const source = ts.createSourceFile('types.ts', readFileSync(join(repoRoot, 'src/config/types.ts'), 'utf8'), ts.ScriptTarget.ES2022, true);

type Field = { name: string; optional: boolean; type: string };

/** Each interface's properties, including those of the interfaces it extends. */
function interfaces(): Map<string, Field[]> {
  const own = new Map<string, { fields: Field[]; bases: string[] }>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    own.set(node.name.text, {
      fields: node.members.filter(ts.isPropertySignature).map((m) => ({
        name: m.name.getText(source).replace(/^['"]|['"]$/g, ''),
        optional: m.questionToken !== undefined,
        type: m.type?.getText(source) ?? '',
      })),
      bases: (node.heritageClauses ?? []).flatMap((h) => h.types.map((t) => t.expression.getText(source))),
    });
  });
  const all = (name: string): Field[] => {
    const entry = own.get(name);
    return entry ? [...entry.bases.flatMap(all), ...entry.fields] : [];
  };
  return new Map([...own.keys()].map((name) => [name, all(name)]));
}

function literalUnion(name: string): string[] {
  let values: string[] = [];
  source.forEachChild((node) => {
    if (ts.isTypeAliasDeclaration(node) && node.name.text === name && ts.isUnionTypeNode(node.type)) {
      values = node.type.types.filter(ts.isLiteralTypeNode).map((t) => t.literal.getText(source).replace(/^'|'$/g, ''));
    }
  });
  return values;
}

describe('config types ↔ JSON Schema', () => {
  const declared = interfaces();

  test('every exported interface of types.ts is mapped to a schema object', () => {
    expect([...declared.keys()].filter((name) => !mixins.includes(name)).sort()).toEqual(Object.keys(interfaceToSchema).sort());
  });

  test.each(Object.entries(interfaceToSchema))('%s has exactly the properties of %s', (name, path) => {
    const schema = at(path);
    const fields = declared.get(name) ?? [];
    expect(fields.map((f) => f.name).sort()).toEqual(Object.keys(schema.properties ?? {}).sort());
    const required = new Set(schema.required ?? []);
    // The file must give Version (RC8001), but the code also builds documents without one (the
    // placeholder of an orphaned policy), so the type keeps it optional.
    if (name === 'PolicyDocument') required.delete('Version');
    for (const field of fields) expect({ field: field.name, optional: field.optional }).toEqual({ field: field.name, optional: !required.has(field.name) });
  });

  test.each(Object.entries(unionToEnum))('%s lists the enum of %s', (name, path) => {
    expect(literalUnion(name).sort()).toEqual((at(path).enum as string[]).map(String).sort());
  });

  test("PolicyStatement's Effect is the schema's enum", () => {
    const effect = declared.get('PolicyStatement')?.find((f) => f.name === 'Effect');
    const fromType = (effect?.type ?? '').split('|').map((t) => t.trim().replace(/^'|'$/g, ''));
    expect(fromType.sort()).toEqual((at('definitions/policyStatement/properties/Effect').enum as string[]).sort());
  });

  test('the region enum is the list the region rule uses', () => {
    expect(at('definitions/region').enum).toEqual([...AWS_REGIONS]);
  });
});

describe('schema completeness (what editors show on hover)', () => {
  type Visit = { path: string; schema: Schema };
  function walk(schema: unknown, path: string, out: Visit[]): void {
    if (Array.isArray(schema)) return schema.forEach((s, i) => walk(s, `${path}/${i}`, out));
    if (typeof schema !== 'object' || schema === null) return;
    const node = schema as Schema;
    out.push({ path, schema: node });
    for (const [key, value] of Object.entries(node)) if (key !== 'examples' && key !== 'enum' && key !== 'const') walk(value, `${path}/${key}`, out);
  }
  const nodes: Visit[] = [];
  walk(storageSchema, '', nodes);

  test('every property has a description and examples (directly or through its $ref)', () => {
    const missing: string[] = [];
    for (const { path, schema } of nodes) {
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        const target = resolve(prop);
        if (!(prop.description ?? target.description)) missing.push(`${path}/properties/${name}: description`);
        if (!(prop.examples ?? target.examples)) missing.push(`${path}/properties/${name}: examples`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('no object accepts arbitrary keys: additionalProperties is false, or a schema for map values', () => {
    const open = nodes
      .filter(({ schema }) => schema.type === 'object' || schema.properties !== undefined)
      .filter(({ schema }) => schema.additionalProperties === undefined || schema.additionalProperties === true)
      .map(({ path }) => path);
    expect(open).toEqual([]);
  });
});
