// Starts Azurite inside this node process and exits when the process that asked for it is gone,
// so a killed test run or CLI never leaves an emulator behind.
// Usage: node scripts/azurite.cjs <parent-pid|0> [--service blob|queue|table] [azurite options...]
// With --service, only that service runs in this process (the emulator is single-threaded: one process per service
// lets the services use separate cores).
// With SCAPI_AZURITE_COUNTS_PORT set, it also counts every storage request it serves (per service, resource
// and method) and serves the totals as JSON at http://127.0.0.1:<port>/counts: what a storage account bills
// as transactions, counted where they land rather than estimated by the callers.
// Table queries whose filter pins one PartitionKey are served from the table's PartitionKey index (see
// partitionKeyFastPath below); SCAPI_AZURITE_PLAIN_QUERIES=1 turns that off for comparisons.
// Queue receives, peeks, deletes and updates are served from a per-queue index (azurite-queue-index.cjs);
// SCAPI_AZURITE_PLAIN_QUEUES=1 turns that off.
'use strict';
const path = require('node:path');
const http = require('node:http');

const [parentPid, ...rest] = process.argv.slice(2);
const serviceIndex = rest.indexOf('--service');
const only = serviceIndex >= 0 ? rest[serviceIndex + 1] : undefined;
const args = serviceIndex >= 0 ? rest.filter((_, i) => i !== serviceIndex && i !== serviceIndex + 1) : rest;
if (only !== undefined && !['blob', 'queue', 'table'].includes(only)) {
  console.error(`unknown service '${only}': expected blob, queue or table`);
  process.exit(2);
}
const dist = path.join(__dirname, '..', 'node_modules', 'azurite', 'dist', 'src');
const entry = only ? path.join(dist, only, 'main.js') : path.join(dist, 'azurite.js');
process.argv = [process.argv[0], entry, ...args];

const parent = Number(parentPid);
if (parent > 0) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 1000).unref();
}

const countsPort = Number(process.env.SCAPI_AZURITE_COUNTS_PORT || 0);
if (countsPort > 0) {
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 && i + 1 < args.length ? Number(args[i + 1]) : fallback;
  };
  const services = new Map([
    [option('--blobPort', 10000), 'blob'],
    [option('--queuePort', 10001), 'queue'],
    [option('--tablePort', 10002), 'table'],
  ]);
  const counts = new Map();
  // The resource is the queue, table or container name: the path segment after the account name.
  const resource = (url) => {
    const segments = (url || '').split('?')[0].split('/').filter((s) => s.length > 0);
    const name = segments.length > 1 ? segments[1] : '';
    return decodeURIComponent(name.replace(/\(.*$/, '')) || '(account)';
  };
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, request, ...rest) {
    if (event === 'request') {
      const address = this.address();
      const service = address && services.get(address.port);
      if (service) {
        const key = `${service}|${resource(request.url)}|${request.method}`;
        counts.set(key, (counts.get(key) || 0) + 1);
      }
    }
    return emit.call(this, event, request, ...rest);
  };
  const server = http.createServer((req, res) => {
    if (req.url === '/counts') {
      const body = [...counts].map(([key, count]) => {
        const [service, name, method] = key.split('|');
        return { service, resource: name, method, count };
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  server.listen(countsPort, '127.0.0.1');
  server.unref();
}

// Azurite evaluates every table query by running its filter over every row of the table, although each table has a
// binary index on PartitionKey. The durable task hub reads an instance's history with a query pinned to one partition
// key, so with thousands of instances each read scanned the whole history table. When a filter is a conjunction with
// `PartitionKey eq '<literal>'` (no `or`/`not` anywhere outside string literals), the rows of that partition are a
// superset of the answer: the patched query starts from them (an index lookup) and still applies the full filter,
// sort and paging of the original. Anything else takes the original path.
function partitionKeyOf(filter) {
  if (typeof filter !== 'string') return undefined;
  const literals = [];
  const skeleton = filter.replace(/'((?:[^']|'')*)'/g, (_, value) => {
    literals.push(value.replace(/''/g, "'"));
    return `'#${literals.length - 1}'`;
  });
  if (/\b(or|not)\b/i.test(skeleton)) return undefined;
  const conjuncts = skeleton.split(/\band\b/i).map((c) => c.trim().replace(/^\(+|\)+$/g, '').trim());
  for (const c of conjuncts) {
    const m = /^PartitionKey\s+eq\s+'#(\d+)'$/.exec(c);
    if (m) return literals[Number(m[1])];
  }
  return undefined;
}

function partitionKeyFastPath() {
  const { default: Store } = require(path.join(dist, 'table', 'persistence', 'LokiTableMetadataStore.js'));
  const original = Store.prototype.queryTableEntities;
  Store.prototype.queryTableEntities = function (context, account, table, queryOptions, ...more) {
    const partitionKey = partitionKeyOf(queryOptions && queryOptions.filter);
    if (partitionKey === undefined) return original.call(this, context, account, table, queryOptions, ...more);
    const narrowed = Object.create(this);
    narrowed.getEntityCollection = (...a) => {
      const collection = this.getEntityCollection(...a);
      return { chain: () => collection.chain().find({ PartitionKey: partitionKey }) };
    };
    return original.call(narrowed, context, account, table, queryOptions, ...more);
  };
}

if (process.env.SCAPI_AZURITE_PLAIN_QUERIES !== '1' && (only === undefined || only === 'table')) partitionKeyFastPath();
if (process.env.SCAPI_AZURITE_PLAIN_QUEUES !== '1' && (only === undefined || only === 'queue')) {
  require('./azurite-queue-index.cjs').install(dist);
}

require(entry);
