import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import type { Db } from "@beacon/db";
import { blobPath, blobSize, FileTooLarge, fileForDownload, receiveUpload } from "@beacon/domain";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { parseRange } from "../files/byte-range.ts";

export interface FileRouteOptions {
  db: Db;
  dataDir: string;
  uploadLimitBytes: number;
  clock: () => Date;
}

type DownloadParams = { taskId: string; token: string; name: string };
type UploadParams = { taskId: string; token: string };

/**
 * The file server CPEs use for Download and Upload tasks: GET/HEAD with Range (resumed firmware downloads),
 * PUT or POST of a raw body for uploads. URLs are per task and token; anything else is a plain 404.
 */
export async function fileRoutes(app: FastifyInstance, options: FileRouteOptions): Promise<void> {
  const { db, dataDir } = options;

  // Upload bodies go to disk as they arrive, never into memory.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_request, payload, done) => done(null, payload));

  async function download(request: FastifyRequest<{ Params: DownloadParams }>, reply: FastifyReply) {
    const file = await fileForDownload(db, request.params.taskId, request.params.token);
    const size = file ? await blobSize(dataDir, file.storagePath) : null;
    if (!file || size === null) return reply.code(404).send();
    reply
      .header("accept-ranges", "bytes")
      .header("content-type", "application/octet-stream")
      .header("etag", `"${file.sha256}"`)
      .header("content-disposition", `attachment; filename="${file.name.replace(/"/g, "")}"`);
    const range = parseRange(request.headers.range, size);
    if (range === "unsatisfiable") return reply.code(416).header("content-range", `bytes */${size}`).send();
    const path = blobPath(dataDir, file.storagePath);
    if (!range) {
      reply.header("content-length", String(size));
      return request.method === "HEAD" ? reply.send() : reply.send(createReadStream(path));
    }
    reply
      .code(206)
      .header("content-range", `bytes ${range.start}-${range.end}/${size}`)
      .header("content-length", String(range.end - range.start + 1));
    return request.method === "HEAD" ? reply.send() : reply.send(createReadStream(path, range));
  }

  async function upload(request: FastifyRequest<{ Params: UploadParams }>, reply: FastifyReply) {
    const content = request.body;
    if (!(content instanceof Readable)) return reply.code(400).send();
    try {
      const file = await receiveUpload(db, dataDir, {
        taskId: request.params.taskId,
        token: request.params.token,
        content,
        maxBytes: options.uploadLimitBytes,
        now: options.clock(),
      });
      if (!file) {
        content.resume();
        return reply.code(404).send();
      }
      return reply.code(201).send();
    } catch (error) {
      if (error instanceof FileTooLarge) return reply.code(413).header("connection", "close").send();
      throw error;
    }
  }

  app.get("/files/:taskId/:token/:name", download);
  app.put("/uploads/:taskId/:token", upload);
  app.post("/uploads/:taskId/:token", upload);
}
