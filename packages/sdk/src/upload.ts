// File upload with progress. fetch() cannot report upload progress, so this
// one call uses XMLHttpRequest.

import type { Http } from './http.ts';
import { ParleyError, type StoredFile } from './types.ts';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export function uploadFile(http: Http, file: Blob & { name?: string }, onProgress?: (p: UploadProgress) => void): Promise<StoredFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const name = file.name ?? 'file';
    xhr.open('POST', http.url('/files', { filename: name, visibility: 'app' }));
    for (const [k, v] of Object.entries(http.headers({ 'content-type': file.type || 'application/octet-stream' }))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onerror = () => reject(new ParleyError(0, 'network', 'the upload was interrupted'));
    xhr.onload = () => {
      let parsed: unknown;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed as StoredFile);
      else reject(http.error(xhr.status, parsed));
    };
    xhr.send(file);
  });
}
