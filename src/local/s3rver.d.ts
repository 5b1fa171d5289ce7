/** The part of s3rver 3.7.1 the platform uses (the package ships no types). */
declare module 's3rver' {
  interface S3rverOptions {
    address?: string;
    port?: number;
    directory: string;
    silent?: boolean;
    configureBuckets?: { name: string; configs: unknown[] }[];
  }
  class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number }>;
    /** The listening server once `run()` has resolved. */
    httpServer: import('node:http').Server;
    close(): Promise<void>;
  }
  export = S3rver;
}

/** s3rver's account registry, patched so any access key is accepted. */
declare module 's3rver/lib/models/account' {
  class AWSAccount {
    static registry: Map<string, AWSAccount>;
    static DUMMY_ACCOUNT: AWSAccount;
  }
  export = AWSAccount;
}

/** s3rver's file store, patched so an object key cannot name a path outside its bucket's folder. */
declare module 's3rver/lib/stores/filesystem' {
  class FilesystemStore {
    rootDirectory: string;
    getResourcePath(bucket: string, key?: string, resource?: string): string;
    getBucketPath(bucket: string): string;
  }
  export = FilesystemStore;
}

/** s3rver's S3 error (code → HTTP status, XML body). */
declare module 's3rver/lib/models/error' {
  class S3Error extends Error {
    constructor(code: string, message: string, detail?: Record<string, string>);
  }
  export = S3Error;
}
