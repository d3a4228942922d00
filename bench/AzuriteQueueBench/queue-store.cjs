// Micro-benchmark of the emulator's queue store (the layer every queue request ends in), without HTTP: with a backlog
// of B messages spread over the task hub's queues, how many send + receive + delete cycles per second it serves.
// Then the extent store's garbage collection: with E message bodies (extents) stored, deleting 1,000 of them.
// Usage: node bench/AzuriteQueueBench/queue-store.cjs [backlog...]   (default 0 2000 8000; extents 2000 and 8000)
// SCAPI_AZURITE_PLAIN_QUEUES=1 measures the store as Azurite ships it; otherwise the wrapper's queue index is on.
'use strict';
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const dist = path.join(__dirname, '..', '..', 'node_modules', 'azurite', 'dist', 'src');
if (process.env.SCAPI_AZURITE_PLAIN_QUEUES !== '1') require('../../scripts/azurite-queue-index.cjs').install(dist);
const { default: Store } = require(path.join(dist, 'queue', 'persistence', 'LokiQueueMetadataStore.js'));

const account = 'devstoreaccount1';
const queues = ['scapi-control-00', 'scapi-control-01', 'scapi-control-02', 'scapi-control-03', 'scapi-workitems', 'capi-events'];
const week = 7 * 24 * 3600 * 1000;

function message(queueName, visibleAt) {
  const now = Date.now();
  return {
    accountName: account, queueName, messageId: randomUUID(), popReceipt: randomUUID(),
    timeNextVisible: new Date(visibleAt ?? now), insertionTime: new Date(now), expirationTime: new Date(now + week),
    dequeueCount: 0, persistency: { id: 'x', offset: 0, count: 1 },
  };
}

async function run(backlog, seconds) {
  const store = new Store(`bench-${backlog}-${Date.now()}`, true);
  await store.init();
  for (const name of queues) await store.createQueue({ accountName: account, name });
  // The backlog: half visible later (scheduled wakes), half waiting behind the cycle's queue.
  for (let i = 0; i < backlog; i++) {
    const q = queues[i % queues.length];
    await store.insertMessage(message(q, i % 2 === 0 ? Date.now() + 3600_000 : undefined));
  }
  let cycles = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const q = queues[cycles % 4];
    await store.insertMessage(message(q));
    const popReceipt = randomUUID();
    const got = await store.getMessages(account, q, new Date(Date.now() + 30_000), popReceipt, 1, new Date());
    for (const m of got) await store.deleteMessage(account, q, m.messageId, popReceipt);
    await store.peekMessages(account, q, 1, new Date());
    cycles++;
  }
  return cycles / seconds;
}

async function extents(count) {
  const { default: Extents } = require(path.join(dist, 'common', 'persistence', 'LokiExtentMetadataStore.js'));
  const store = new Extents(`extents-${count}-${Date.now()}`, true);
  await store.init();
  const ids = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    ids.push(id);
    await store.updateExtent({ id, locationId: 'memory', path: id, size: 100, lastModifiedInMS: Date.now() });
  }
  const start = process.hrtime.bigint();
  for (const id of ids.slice(0, 1000)) await store.deleteExtent(id);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return 1000 / seconds;
}

const mode = process.env.SCAPI_AZURITE_PLAIN_QUEUES === '1' ? 'plain' : 'indexed';

(async () => {
  const backlogs = process.argv.slice(2).map(Number);
  for (const b of backlogs.length ? backlogs : [0, 2000, 8000]) {
    const rate = await run(b, 5);
    console.log(JSON.stringify({ store: mode, backlog: b, cyclesPerSecond: Math.round(rate) }));
  }
  for (const e of [2000, 8000]) {
    console.log(JSON.stringify({ store: mode, extents: e, extentDeletesPerSecond: Math.round(await extents(e)) }));
  }
})();
