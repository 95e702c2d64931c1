import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** What a bucket holds, counted from one page of ListObjectVersions (up to 1000 entries). */
export interface BucketContents {
  /** Current object versions (what a plain listing shows). */
  objects: number;
  /** Noncurrent versions kept by versioning. */
  versions: number;
  deleteMarkers: number;
  /** More entries exist than were counted. */
  more: boolean;
}

export function isEmpty(contents: BucketContents): boolean {
  return contents.objects === 0 && contents.versions === 0 && contents.deleteMarkers === 0 && !contents.more;
}

export function describeContents(contents: BucketContents): string {
  const plus = contents.more ? '+' : '';
  return `${contents.objects}${plus} object(s), ${contents.versions}${plus} noncurrent version(s), ${contents.deleteMarkers}${plus} delete marker(s)`;
}

export async function countContents(s3: S3Client, bucket: string): Promise<BucketContents> {
  const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }));
  const versions = page.Versions ?? [];
  return {
    objects: versions.filter((v) => v.IsLatest).length,
    versions: versions.filter((v) => !v.IsLatest).length,
    deleteMarkers: (page.DeleteMarkers ?? []).length,
    more: Boolean(page.IsTruncated),
  };
}

/** Delete every object version and delete marker, and abort unfinished uploads. */
export async function emptyBucket(s3: S3Client, bucket: string): Promise<number> {
  let removed = 0;
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }));
    const entries = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
      .filter((v) => v.Key !== undefined)
      .map((v) => ({ Key: v.Key as string, ...(v.VersionId ? { VersionId: v.VersionId } : {}) }));
    if (entries.length === 0) break;
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: entries, Quiet: true } }));
    if ((out.Errors ?? []).length > 0) {
      const first = out.Errors?.[0];
      throw new Error(`could not delete ${out.Errors?.length} object version(s), e.g. ${first?.Key}: ${first?.Code} ${first?.Message ?? ''}`);
    }
    removed += entries.length;
  }
  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  for (const upload of uploads.Uploads ?? []) {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId }));
  }
  return removed;
}
