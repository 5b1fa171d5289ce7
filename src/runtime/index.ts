/** The packed runtime's public surface. S3 helpers live in `./s3` so importing this stays cheap. */
export { wrapHandler } from './wrap';
export type { WrapOptions, LambdaHandler, PackedHandler } from './wrap';
export type { LambdaContext, TaskHandler } from './context';
export type { HandlerModule } from './thread-pool';
export { instanceVcpus, instanceMemoryMb, instanceId } from './instance';
export * from './protocol';
