// The demo dataset format: what a dataset directory holds and how to decode each file.
// Readers (server, tools) do the I/O and the gunzip (manifest `contentEncoding`) themselves and
// pass bytes or text here; nothing in this folder touches the file system.

export * from './types';
export * from './binary-table';
export * from './places';
export * from './cases';
export * from './json-files';
