// GET /file/upload/avatar/group: called by the lanying web SDK (not in the
// document; the original's source "What the real web SDK sends"). The original answers
// an Aliyun-OSS form upload; Parley answers the same shape, pointing at its own
// form upload route, which takes the signed credential in the `policy` field.
// The SDK then sets the group's avatar to `download_url` (4.25).

import { Type } from '@sinclair/typebox';
import { groupAvatarUpload } from '../../../core/groups/avatar-upload.ts';
import { actorOf } from '../auth.ts';
import { ok, Reply } from '../envelope.ts';
import { caller, type LanyingApp } from '../plugin.ts';
import { GroupQuery, id } from '../schemas.ts';

const AvatarUpload = Type.Object({
  upload_url: Type.String(),
  download_url: Type.String(),
  oss_body_param: Type.Object({
    OSSAccessKeyId: Type.String(),
    policy: Type.String(),
    signature: Type.String(),
    key: Type.String(),
    callback: Type.String(),
  }),
});

export function avatarUploadRoutes(app: LanyingApp): void {
  const { core } = app;
  app.get('/file/upload/avatar/group', { schema: { querystring: GroupQuery, response: { 200: Reply(AvatarUpload) } } }, async (req) => {
    const credential = await groupAvatarUpload(core, actorOf(caller(req)), id(req.query.group_id, 'group_id'));
    if (credential.kind !== 'parley') throw new Error('group avatar uploads use Parley-signed credentials');
    const base = app.publicUrl.base;
    return ok({
      upload_url: `${base}/v1/uploads/direct`,
      download_url: `${base}/v1/files/${credential.fileId}/content`,
      oss_body_param: {
        OSSAccessKeyId: 'parley',
        // The whole signed credential: Parley's form route verifies it.
        policy: credential.token,
        signature: credential.token.slice(credential.token.lastIndexOf('.') + 1),
        key: credential.key,
        callback: '',
      },
    });
  });
}
