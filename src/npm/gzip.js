// A body gzipped and back, for an outbox message that does not fit its queue otherwise:
// `CompressionStream` and `DecompressionStream` are globals on every runtime the package runs on.
// Two expressions here cost the bundles less glue than binding each stream type and method.
const through = (body, codec) => new Response(new Response(body).body.pipeThrough(codec));
export const gzip = (text) => through(text, new CompressionStream("gzip")).arrayBuffer();
export const gunzip = (bytes) => through(bytes, new DecompressionStream("gzip")).text();
