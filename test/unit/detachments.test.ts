import { describe, expect, test } from 'vitest';
import { desiredDigest, groupChanges, type ResourceGroup } from '../../src/drift/groups.js';
import type { Change } from '../../src/plan/model.js';
import { isDeclared, planDetachments } from '../../src/plan/detachments.js';
import { handlerFor } from '../../src/resources/registry.js';

const handler = handlerFor('iam.user.policy-attachment');
const local = (path: string, name: string) => `arn:aws:iam::123456789012:policy${path}${name}`;

describe('exclusive user policy lists', () => {
  test.each([
    { reason: 'a file name matches its policy at the root', arn: local('/', 'app'), declared: ['app'], kept: true },
    { reason: 'a file name matches its policy at any path (names are unique per account)', arn: local('/legacy/', 'app'), declared: ['app'], kept: true },
    { reason: 'an ARN matches only itself', arn: local('/', 'app'), declared: [local('/x/', 'app')], kept: false },
    { reason: 'an AWS-managed policy is never matched by a name', arn: 'arn:aws:iam::aws:policy/AdministratorAccess', declared: ['AdministratorAccess'], kept: false },
    { reason: 'an AWS-managed policy declared by ARN', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', declared: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], kept: true },
    { reason: 'another name', arn: local('/', 'other'), declared: ['app'], kept: false },
  ])('$reason', ({ arn, declared, kept }) => {
    expect(isDeclared(arn, declared)).toBe(kept);
  });

  test('each undeclared attachment is a delete under the user, addressed by policy name (or ARN when AWS-managed)', () => {
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    const changes = planDetachments({ user: 'u', declared: ['app'], attached: [local('/', 'app'), local('/', 'old'), admin] }, handler);
    expect(changes.map((c) => [c.address, c.action, c.source, c.dependsOn])).toEqual([
      ['user.u.policy[old]', 'delete', '/users/u/policies', ['user.u']],
      [`user.u.policy[${admin}]`, 'delete', '/users/u/policies', ['user.u']],
    ]);
    expect(changes[0]?.steps).toEqual([`detach ${local('/', 'old')}`]);
    expect(changes[0]?.details.map((d) => d.text)).toEqual([`detach ${local('/', 'old')} from user u`]);
    expect(changes.some((c) => c.broadens)).toBe(false);
  });

  test('a detach belongs to its user\'s drift group, but not to the digest of the desired state', () => {
    const user: Change = { address: 'user.u', kind: 'iam.user', name: 'u', action: 'no-op', before: {}, after: { tags: {} }, patch: [], details: [], desired: { tags: {} }, dependsOn: [], source: '/users/u' };
    const [detach] = planDetachments({ user: 'u', declared: [], attached: [local('/', 'old')] }, handler);
    const [withDetach] = groupChanges([user, detach as Change]);
    const [without] = groupChanges([user]);
    expect(withDetach?.members.map((c) => c.address)).toEqual(['user.u', 'user.u.policy[old]']);
    expect(desiredDigest(withDetach as ResourceGroup)).toBe(desiredDigest(without as ResourceGroup));
  });
});
