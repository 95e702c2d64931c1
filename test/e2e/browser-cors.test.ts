// A real browser (Debian's Chromium via playwright-core) on the app origin uploads to the bucket
// that `apply` made, with the key `apply` delivered, through real CORS. Runs against the shared
// emulator (moto with MOTO_DISABLE_GLOBAL_CORS=1, without IAM enforcement: moto's enforcement
// rejects presigned URLs). Browser tests live in this one file so they run one at a time:
// the page must be served on port 5173, the origin the CORS rule declares.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DeleteBucketCorsCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { endpoint, runCli, s3Client } from '../support/aws.js';
import { launchChromium, serveApp, type AppServer, type Browser } from '../support/browser.js';
import { fileManagerYaml, workspace, type FileManagerNames, type Workspace } from '../support/workspace.js';

const APP_PORT = 5173;
const APP_ORIGIN = `http://localhost:${APP_PORT}`;
/** Same page, same port, but another origin: the rule lists localhost, not 127.0.0.1. */
const OTHER_ORIGIN = `http://127.0.0.1:${APP_PORT}`;
const REGION = 'eu-central-1';

interface UploadResult {
  blocked: boolean;
  error?: string;
  status?: number;
  etag?: string | null;
}

interface DownloadResult {
  blocked: boolean;
  error?: string;
  status?: number;
  base64?: string;
}

/** fetch PUT from inside the page; a CORS refusal surfaces as a TypeError ("Failed to fetch"). */
function browserPut(page: Page, url: string, base64: string): Promise<UploadResult> {
  return page.evaluate(
    async ({ url, base64 }) => {
      const body = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      try {
        const res = await fetch(url, { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream' } });
        return { blocked: false, status: res.status, etag: res.headers.get('ETag') };
      } catch (err) {
        return { blocked: true, error: String(err) };
      }
    },
    { url, base64 },
  );
}

function browserGet(page: Page, url: string): Promise<DownloadResult> {
  return page.evaluate(async (url) => {
    try {
      const res = await fetch(url);
      const bytes = new Uint8Array(await res.arrayBuffer());
      let binary = '';
      for (const byte of bytes) binary += String.fromCharCode(byte);
      return { blocked: false, status: res.status, base64: btoa(binary) };
    } catch (err) {
      return { blocked: true, error: String(err) };
    }
  }, url);
}

/**
 * The browser-based upload that presigned POST exists for: an HTML form (policy fields, then the
 * file) submitted by the browser, which S3 answers with a redirect back to the app.
 */
async function browserFormPost(page: Page, url: string, fields: Record<string, string>, bytes: Buffer): Promise<URL> {
  await page.evaluate(
    ({ url, fields }) => {
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = url;
      form.enctype = 'multipart/form-data';
      for (const [name, value] of Object.entries(fields)) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = value;
        form.append(input);
      }
      const file = document.createElement('input');
      file.type = 'file';
      file.name = 'file'; // S3 ignores fields after the file, so it goes last
      form.append(file);
      document.body.append(form);
    },
    { url, fields },
  );
  await page.setInputFiles('input[type=file]', { name: 'upload.bin', mimeType: 'application/octet-stream', buffer: bytes });
  await Promise.all([page.waitForURL(/\/uploaded\?/), page.evaluate(() => document.querySelector('form')?.submit())]);
  return new URL(page.url());
}

const md5Etag = (bytes: Buffer) => `"${createHash('md5').update(bytes).digest('hex')}"`;

describe('a browser on the app origin uploads through CORS with the generated key', () => {
  let ws: Workspace;
  let names: FileManagerNames;
  let originalYaml: string;
  let browser: Browser;
  let app: AppServer;
  let appPage: Page;
  let otherPage: Page;
  /** Signs with the app's key from the secrets file, as the app's backend would. */
  let appSigner: S3Client;
  const corsErrors: string[] = [];
  const started = Date.now();

  const apply = async (yaml: string) => {
    await ws.write(yaml);
    const result = await runCli(['apply', '--auto-approve', '-f', ws.file, '--secrets-out', ws.secrets]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  };
  const verifyExit = async () => (await runCli(['verify', '-f', ws.file])).code;
  const presignPut = (key: string) => getSignedUrl(appSigner, new PutObjectCommand({ Bucket: names.bucket, Key: key }), { expiresIn: 600 });
  const presignGet = (key: string) => getSignedUrl(appSigner, new GetObjectCommand({ Bucket: names.bucket, Key: key }), { expiresIn: 600 });
  const stored = async (key: string): Promise<boolean> => {
    try {
      await s3Client(REGION).send(new HeadObjectCommand({ Bucket: names.bucket, Key: key }));
      return true;
    } catch (err) {
      if ((err as { name?: string }).name === 'NotFound') return false;
      throw err;
    }
  };
  const file = () => {
    const bytes = randomBytes(48 * 1024);
    return { bytes, base64: bytes.toString('base64') };
  };
  /** The browser refused the upload for CORS, said so in its console, and sent nothing. */
  const expectBlocked = async (result: UploadResult, key: string) => {
    expect(result.blocked, JSON.stringify(result)).toBe(true);
    expect(result.error).toContain('Failed to fetch');
    await expect.poll(() => corsErrors.some((message) => message.includes(key)), { timeout: 5000 }).toBe(true);
    expect(await stored(key), `${key} must not be stored`).toBe(false);
  };

  beforeAll(async () => {
    const generated = await fileManagerYaml();
    names = generated.names;
    originalYaml = generated.yaml;
    ws = await workspace();
    await apply(originalYaml);
    const secrets = JSON.parse(await readFile(ws.secrets, 'utf8')) as Record<string, { accessKeyId: string; secretAccessKey: string }>;
    const key = secrets[names.user];
    if (!key) throw new Error(`apply delivered no key for ${names.user}`);
    appSigner = new S3Client({
      region: REGION,
      endpoint: endpoint(),
      forcePathStyle: true,
      credentials: key,
      // else the SDK signs a CRC32 of an empty body into presigned PUT URLs
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });

    app = await serveApp(APP_PORT);
    browser = await launchChromium();
    const watch = (page: Page) =>
      page.on('console', (message) => {
        if (message.text().includes('blocked by CORS policy')) corsErrors.push(message.text());
      });
    appPage = await browser.context.newPage();
    otherPage = await browser.context.newPage();
    watch(appPage);
    watch(otherPage);
    await appPage.goto(`${APP_ORIGIN}/`);
    await otherPage.goto(`${OTHER_ORIGIN}/`);
    expect(await appPage.evaluate(() => location.origin)).toBe(APP_ORIGIN);
    expect(await otherPage.evaluate(() => location.origin)).toBe(OTHER_ORIGIN);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    appSigner?.destroy();
    console.log(`browser CORS suite: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  test('PUT to a presigned URL, read the ETag, GET the bytes back', async () => {
    const { bytes, base64 } = file();
    const key = `uploads/put-${Date.now()}.bin`;
    const put = await browserPut(appPage, await presignPut(key), base64);
    expect(put, JSON.stringify(put)).toMatchObject({ blocked: false, status: 200 });
    expect(put.etag).toBe(md5Etag(bytes));
    const head = await s3Client(REGION).send(new HeadObjectCommand({ Bucket: names.bucket, Key: key }));
    expect(head.ETag).toBe(put.etag);

    const get = await browserGet(appPage, await presignGet(key));
    expect(get, get.error).toMatchObject({ blocked: false, status: 200 });
    expect(Buffer.from(get.base64 ?? '', 'base64').equals(bytes)).toBe(true);
  });

  test('upload with a presigned POST form, redirected back to the app', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${APP_ORIGIN}/`);
      const { bytes } = file();
      const key = `uploads/post-${Date.now()}.bin`;
      const redirect = `${APP_ORIGIN}/uploaded`;
      const post = await createPresignedPost(appSigner, {
        Bucket: names.bucket,
        Key: key,
        Fields: { success_action_redirect: redirect },
        Conditions: [['content-length-range', 1, 1024 * 1024], { success_action_redirect: redirect }],
        Expires: 600,
      });
      expect(post.url).toBe(`${endpoint()}/${names.bucket}`);
      const landed = await browserFormPost(page, post.url, post.fields, bytes);
      expect(landed.origin).toBe(APP_ORIGIN);
      expect(landed.searchParams.get('key')).toBe(key);
      expect(landed.searchParams.get('bucket')).toBe(names.bucket);
      const body = await (await s3Client(REGION).send(new GetObjectCommand({ Bucket: names.bucket, Key: key }))).Body?.transformToByteArray();
      expect(Buffer.from(body ?? []).equals(bytes)).toBe(true);
    } finally {
      await page.close();
    }
  });

  test('a page on an origin the rule does not list is blocked, and nothing is stored', async () => {
    const key = `uploads/other-origin-${Date.now()}.bin`;
    await expectBlocked(await browserPut(otherPage, await presignPut(key), file().base64), key);
    expect(corsErrors.some((m) => m.includes(`from origin '${OTHER_ORIGIN}'`))).toBe(true);
  });

  test('GET-only methods: the PUT is blocked at the preflight, nothing is stored, and verify agrees', async () => {
    await apply(originalYaml.replace('AllowedMethods: [GET, PUT, POST]', 'AllowedMethods: [GET]'));
    const key = `uploads/get-only-${Date.now()}.bin`;
    await expectBlocked(await browserPut(appPage, await presignPut(key), file().base64), key);
    expect(corsErrors.some((m) => m.includes(key) && m.includes('Method PUT is not allowed'))).toBe(true);
    expect(await verifyExit()).toBe(0); // the file now declares GET only, and GET works

    await apply(originalYaml);
  });

  test('the CORS rule removed out-of-band: blocked, nothing stored, verify fails', async () => {
    await s3Client(REGION).send(new DeleteBucketCorsCommand({ Bucket: names.bucket }));
    const key = `uploads/no-cors-${Date.now()}.bin`;
    await expectBlocked(await browserPut(appPage, await presignPut(key), file().base64), key);
    expect(await verifyExit()).toBe(1);

    await apply(originalYaml);
    const again = `uploads/restored-${Date.now()}.bin`;
    const put = await browserPut(appPage, await presignPut(again), file().base64);
    expect(put).toMatchObject({ blocked: false, status: 200 });
  });

  test('ExposeHeaders without ETag: the upload succeeds but the page cannot read the ETag', async () => {
    await apply(originalYaml.replace(/^ *ExposeHeaders: \[ETag\]\n/m, ''));
    const { bytes, base64 } = file();
    const key = `uploads/no-etag-${Date.now()}.bin`;
    const put = await browserPut(appPage, await presignPut(key), base64);
    expect(put, JSON.stringify(put)).toMatchObject({ blocked: false, status: 200, etag: null });
    const head = await s3Client(REGION).send(new HeadObjectCommand({ Bucket: names.bucket, Key: key }));
    expect(head.ETag).toBe(md5Etag(bytes));

    await apply(originalYaml);
  });
});
