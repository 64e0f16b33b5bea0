import { describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { S3FileStore } from "./s3-store";
import { DirectoryFileStore } from "./store";
import { fileStoreFor } from "./store-for";

describe("fileStoreFor", () => {
  it("keeps files under the data dir unless a bucket is configured", async () => {
    expect(await fileStoreFor(getConfig({ BORA_DATA_DIR: "/tmp/bora-x" }))).toBeInstanceOf(DirectoryFileStore);
    expect(await fileStoreFor(getConfig({ BORA_S3_BUCKET: "", BORA_DATA_DIR: "/tmp/bora-x" }))).toBeInstanceOf(DirectoryFileStore);
  });

  it("uses the bucket when BORA_S3_BUCKET is set, with or without keys", async () => {
    expect(await fileStoreFor(getConfig({ BORA_S3_BUCKET: "bora" }))).toBeInstanceOf(S3FileStore);
    expect(await fileStoreFor(getConfig({ BORA_S3_BUCKET: "bora", BORA_S3_ENDPOINT: "http://127.0.0.1:9000", BORA_S3_ACCESS_KEY_ID: "a", BORA_S3_SECRET_ACCESS_KEY: "b" }))).toBeInstanceOf(S3FileStore);
  });

  it("refuses half a key pair and an endpoint that is not a URL", () => {
    expect(() => getConfig({ BORA_S3_BUCKET: "bora", BORA_S3_ACCESS_KEY_ID: "a" })).toThrow(/BORA_S3_SECRET_ACCESS_KEY: set both/);
    expect(() => getConfig({ BORA_S3_BUCKET: "bora", BORA_S3_ENDPOINT: "minio:9000" })).toThrow(/BORA_S3_ENDPOINT/);
  });
});
