// The transport's entry point: re-exports the client, the errors, the value helpers and the calls
// by resource (accounts, webhooks, hosted events and what was read of them).
export * from './accounts';
export * from './client';
export * from './errors';
export * from './events';
export * from './readPosition';
export * from './values';
export * from './webhooks';
