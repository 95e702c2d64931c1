import { closest } from '../did-you-mean.js';
import { AWS_REGIONS, isKnownRegion } from '../regions.js';
import type { Path, RuleContext, RuleFamily } from './context.js';
import { isObject, section } from './view.js';

function checkRegion(ctx: RuleContext, value: unknown, path: Path): void {
  if (typeof value !== 'string' || isKnownRegion(value)) return;
  const normalized = value.trim().toLowerCase().replace(/[_\s]+/g, '-');
  const guess = isKnownRegion(normalized) ? normalized : closest(normalized, AWS_REGIONS);
  ctx.report({
    code: 'RC4101',
    path,
    message: `"${value}" is not an AWS region`,
    hint: guess ? `did you mean "${guess}"?` : 'use a region code such as us-east-1 or eu-central-1',
  });
}

export const regionRules: RuleFamily = {
  name: 'regions',
  check(ctx) {
    if ('region' in ctx.root) checkRegion(ctx, ctx.root.region, ['region']);
    for (const bucket of section(ctx.root, 'buckets')) {
      if ('region' in bucket.value) checkRegion(ctx, bucket.value.region, [...bucket.path, 'region']);
    }
    for (const user of section(ctx.root, 'users')) {
      const sink = isObject(user.value.accessKey) ? user.value.accessKey.deliverTo : undefined;
      if (isObject(sink) && 'region' in sink) checkRegion(ctx, sink.region, [...user.path, 'accessKey', 'deliverTo', 'region']);
    }
  },
};
