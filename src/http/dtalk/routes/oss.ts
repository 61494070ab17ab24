// §33–§40: object storage on core files/uploads (the original's source "OSS").
// Parley has one store for every `ossType` (huaweiyun, aliyun, minio are all
// accepted and served by it). Files are public, as dtalk media URLs are
// fetched by any client; `uri` has the configured engine's shape and
// url = get-host's host + uri (see ../oss-location.ts).

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Core } from '../../../core/core.ts';
import type { Principal } from '../../../core/model.ts';
import type { FileView } from '../../../core/files/model.ts';
import { fail, isParleyError } from '../../../core/errors.ts';
import type { DtalkCaller } from '../auth.ts';
import { bind, type Fields } from '../bind.ts';
import { DtalkCode, DtalkFailure } from '../errors.ts';
import { storeFileForm } from '../oss-form.ts';
import { withBody, type DtalkContext, type DtalkRoute } from '../route.ts';
import { OBJECT_PATH, type OssLocation } from '../oss-location.ts';

/**
 * Largest body of /oss/upload and /oss/upload-part. The desktop client sends
 * 5 MiB parts concurrently; the original's 1 MiB gateway limit refused them.
 */
export const OSS_BODY_LIMIT = 64 * 1024 * 1024;

const OssBase = {
  appId: { kind: 'string' },
  ossType: { kind: 'string', optional: true, options: ['huaweiyun', 'aliyun', 'minio'] },
} as const satisfies Fields;
const Keyed = { ...OssBase, key: { kind: 'string' } } as const satisfies Fields;
const InUpload = { ...Keyed, uploadId: { kind: 'string' } } as const satisfies Fields;
const PartForm = { ...InUpload, partNumber: { kind: 'int', range: [1, 10000] } } as const satisfies Fields;

const principalOf = (c: DtalkCaller): Principal => ({ appId: c.appId, tokenId: 0, userId: c.userId, isAdmin: false });
// PARLEY_PUBLIC_URL (src/http/public-url.ts), never the request's Host header.
const origin = (req: FastifyRequest) => req.server.publicUrl.base;

function uploadIdOf(text: string): number {
  const n = /^[0-9]{1,16}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw fail('upload_not_found', `upload ${text} does not exist`);
  return n;
}

/** A form without its file: its fields' errors first (as the original binds them), then the missing part. */
function missingFile(form: Fields, fields: Record<string, string>): never {
  bind(form, fields);
  throw fail('invalid_argument', 'the file part `file` is missing');
}

export function ossRoutes(core: Core, location: OssLocation): DtalkRoute[] {
  const fileUrls = (req: FastifyRequest, f: FileView) => ({ url: location.url(origin(req), f.key), uri: location.uri(f.key) });
  // Parley's store cannot hand out cloud STS credentials (the original's
  // minio engine cannot either); clients upload through /oss/upload*.
  const stsRefused = withBody({}, async () => {
    throw new DtalkFailure(DtalkCode.notSupported, null, 'STS credentials are not available for this store');
  });
  return [
    { path: '/oss/get-token', ...stsRefused },
    { path: '/oss/get-huaweiyun-token', ...stsRefused },
    {
      path: '/oss/upload',
      body: 'multipart',
      form: { fields: Keyed, files: { file: { description: 'The file' } } },
      bodyLimit: OSS_BODY_LIMIT,
      async handler(req) {
        // Core's rule refuses the empty file (empty_file, -1009), as native's allowEmpty=false does.
        const { fields, stored } = await storeFileForm(req.raw, OSS_BODY_LIMIT, ['key'], (fields, file, size) =>
          core.files.upload(principalOf(req.caller), { key: bind(Keyed, fields).key, visibility: 'public', allowEmpty: false, ...(size !== undefined ? { size } : {}) }, file),
        );
        if (!stored) return missingFile(Keyed, fields);
        return fileUrls(req.raw, stored);
      },
    },
    {
      path: '/oss/init-multipart-upload',
      ...withBody(Keyed, async (req, f) => {
        const u = await core.uploads.init(principalOf(req.caller), { key: f.key, visibility: 'public' });
        return { uploadId: String(u.id), key: u.key };
      }),
    },
    {
      path: '/oss/upload-part',
      body: 'multipart',
      form: { fields: PartForm, files: { file: { description: 'The part' } } },
      bodyLimit: OSS_BODY_LIMIT,
      async handler(req) {
        const { fields, stored } = await storeFileForm(req.raw, OSS_BODY_LIMIT, ['key', 'uploadId', 'partNumber'], (fields, file, size) => {
          const f = bind(PartForm, fields);
          return core.uploads.uploadPart(principalOf(req.caller), uploadIdOf(f.uploadId), Number(f.partNumber), file, { key: f.key, ...(size !== undefined ? { size } : {}) });
        });
        if (!stored) return missingFile(PartForm, fields);
        return { ETag: stored.etag, partNumber: stored.partNumber, uploadId: fields.uploadId, key: stored.key };
      },
    },
    {
      path: '/oss/complete-multipart-upload',
      ...withBody({ ...InUpload, parts: { kind: 'objects', fields: { ETag: { kind: 'string' }, partNumber: { kind: 'int', range: [1, 10000] } } } }, async (req, f) => {
        const parts = f.parts.map((p) => ({ partNumber: Number(p.partNumber), etag: p.ETag })).sort((a, b) => a.partNumber - b.partNumber);
        const stored = await core.uploads.complete(principalOf(req.caller), uploadIdOf(f.uploadId), parts, f.key);
        return fileUrls(req.raw, stored);
      }),
    },
    {
      path: '/oss/abort-multipart-upload',
      ...withBody(InUpload, async (req, f) => {
        await core.uploads.abort(principalOf(req.caller), uploadIdOf(f.uploadId), f.key);
        return {};
      }),
    },
    {
      path: '/oss/get-host',
      ...withBody(OssBase, async (req) => {
        return { host: location.host(origin(req.raw)) };
      }),
    },
  ];
}

/**
 * GET /oss/object/<uri>: the object a dtalk `uri` names, as a redirect to
 * its content (no signature: dtalk media URLs are fetched by any client, and
 * only public files are found).
 */
// For the dtalk document; the wildcard is the object's key (the `uri` an upload answered, without the prefix).
const OBJECT_DOC = { summary: 'Download an uploaded object (public; `url` of an upload is this address)', security: [] };

export function objectPage(app: FastifyInstance, { core, location, auth }: DtalkContext): void {
  app.get(`${OBJECT_PATH}/*`, { schema: OBJECT_DOC }, async (req, reply) => {
    const key = location.keyOf((req.params as { '*': string })['*']);
    if (key !== undefined) {
      try {
        const file = await core.files.getByKey({ appId: await auth.appId(), tokenId: 0, userId: null, isAdmin: false }, key);
        if (file.visibility === 'public') return reply.redirect(`/v1/files/${file.id}/content`, 302);
      } catch (e) {
        if (!isParleyError(e)) throw e;
      }
    }
    return reply.code(404).type('text/plain').send('no such object');
  });
}
