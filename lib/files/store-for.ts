// The file store this process uses: a bucket when BORA_S3_BUCKET is set, else BORA_FILES_DIR or
// a directory under the data dir. The AWS SDK is imported only then: it costs about 400 ms at start.
import path from "node:path";
import type { Config } from "@/lib/config";
import { DirectoryFileStore, type FileStore } from "./store";

export async function fileStoreFor(config: Config): Promise<FileStore> {
  if (!config.BORA_S3_BUCKET) return new DirectoryFileStore(path.resolve(config.BORA_FILES_DIR ?? path.join(config.dataDir, "files")));
  const { S3FileStore } = await import("./s3-store");
  return new S3FileStore({
    bucket: config.BORA_S3_BUCKET,
    region: config.BORA_S3_REGION,
    endpoint: config.BORA_S3_ENDPOINT,
    accessKeyId: config.BORA_S3_ACCESS_KEY_ID,
    secretAccessKey: config.BORA_S3_SECRET_ACCESS_KEY,
    prefix: config.BORA_S3_PREFIX,
  });
}
