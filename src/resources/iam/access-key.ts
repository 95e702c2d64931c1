import { CreateAccessKeyCommand, DeleteAccessKeyCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import type { Observed } from '../../core/types.js';
import { errorMessage } from '../../core/errors.js';
import { isNotFound } from '../../aws/errors.js';
import type { ResourceHandler } from '../handler.js';

export interface AccessKeySpec {
  user: string;
}

export const accessKeyHandler: ResourceHandler<AccessKeySpec> = {
  kind: 'iam.access-key',

  normalize(spec) {
    return { user: spec.user };
  },

  async observe(ctx, d): Promise<Observed<AccessKeySpec>> {
    try {
      const out = await ctx.aws.iam().send(new ListAccessKeysCommand({ UserName: d.spec.user }));
      const active = (out.AccessKeyMetadata ?? []).filter((k) => k.Status === 'Active');
      return active.length > 0 ? { exists: true, spec: d.spec } : { exists: false };
    } catch (err) {
      if (isNotFound(err)) return { exists: false };
      throw err;
    }
  },

  /**
   * A key's id is not deterministic, so this is never retried blindly. If the secret cannot be
   * delivered, the new key is deleted again: a key nobody can use is only a liability.
   */
  async create(ctx, d) {
    const sink = ctx.secrets;
    if (!sink) throw new Error('no secrets sink: pass --secrets-out PATH so the new secret has somewhere to go');
    const iam = ctx.aws.iam();
    const out = await iam.send(new CreateAccessKeyCommand({ UserName: d.spec.user }));
    const key = out.AccessKey;
    if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('AWS returned no access key');
    try {
      const where = await sink.deliver({ userName: d.spec.user, accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey });
      return { message: `created ${key.AccessKeyId}; secret written to ${where}` };
    } catch (err) {
      await iam.send(new DeleteAccessKeyCommand({ UserName: d.spec.user, AccessKeyId: key.AccessKeyId }));
      throw new Error(`could not deliver the new key's secret (${errorMessage(err)}); the key was deleted again`);
    }
  },

  async update() {
    return { message: 'unchanged' };
  },

  async delete(ctx, d) {
    const iam = ctx.aws.iam();
    try {
      const out = await iam.send(new ListAccessKeysCommand({ UserName: d.spec.user }));
      for (const key of out.AccessKeyMetadata ?? []) {
        await iam.send(new DeleteAccessKeyCommand({ UserName: d.spec.user, AccessKeyId: key.AccessKeyId }));
      }
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return { message: 'access keys deleted' };
  },
};
