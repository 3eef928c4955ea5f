// Imported first by the tests that resolve names through the test's DNS server: grpc-js reads
// this once, as it loads, and only then asks the DNS server a `dns://<server>/<name>:<port>` target
// names (otherwise the system's resolver, which knows none of the tests' names).
process.env.GRPC_NODE_USE_ALTERNATIVE_RESOLVER = 'true';
