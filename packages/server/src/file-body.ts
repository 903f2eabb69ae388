import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { BODY_BUFFER_SIZE } from './cycle/body-buffer';
import type { FileAccess } from './cycle/files';

/** `http.response.pathsend` from the local file system (`node:fs`), for every host on Node. */
export const nodeFiles: FileAccess = {
  async size(path) {
    const stats = await stat(path);
    if (!stats.isFile()) throw new Error(`http.response.pathsend: '${path}' is not a regular file`);
    return stats.size;
  },
  async stream(path, write, gone) {
    const file = createReadStream(path, { highWaterMark: BODY_BUFFER_SIZE });
    try {
      for await (const chunk of file) {
        if (gone()) break;
        await write(chunk as Buffer);
      }
    } finally {
      file.destroy();
    }
  },
};
