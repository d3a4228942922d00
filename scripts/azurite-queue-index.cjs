// A per-queue index for the emulator's queue store. Azurite keeps every message of every queue in one LokiJS
// collection and answers each receive, peek, delete and update by filtering that whole collection (and keeps four
// binary indices on it up to date on every change, each an O(n) array pass). With a task hub's few thousand queued
// messages the queue service then served a handful of requests per second. This keeps, per store, the messages of each
// queue and each message by id (maintained from the collection's own insert and delete events, so every path that
// adds or removes messages keeps it right) and serves those operations from it with Azurite's semantics unchanged:
// visibility by timeNextVisible, oldest-visible-first order (timeNextVisible, then insertion), dequeue counts, pop
// receipt checks, expiry on access. The collection stays the store of record; its binary indices are rebuilt lazily
// (only the listing paths this does not serve still use them).
'use strict';
const path = require('node:path');

const keyOf = (account, queue) => `${account}\n${queue}`;

function indexOf(store) {
  const coll = store.db.getCollection(store.MESSAGES_COLLECTION);
  if (store.scapiQueueIndex && store.scapiQueueIndex.coll === coll) return store.scapiQueueIndex;
  const index = { coll, queues: new Map(), byId: new Map(), minExpiry: new Map() };
  const add = (doc) => {
    const key = keyOf(doc.accountName, doc.queueName);
    let set = index.queues.get(key);
    if (!set) index.queues.set(key, (set = new Set()));
    set.add(doc);
    index.byId.set(`${key}\n${doc.messageId}`, doc);
    const expiry = Number(new Date(doc.expirationTime));
    if (!(index.minExpiry.get(key) <= expiry)) index.minExpiry.set(key, expiry);
  };
  const remove = (doc) => {
    const key = keyOf(doc.accountName, doc.queueName);
    const set = index.queues.get(key);
    if (set) set.delete(doc);
    const id = `${key}\n${doc.messageId}`;
    if (index.byId.get(id) === doc) index.byId.delete(id);
  };
  for (const doc of coll.data) add(doc);
  coll.on('insert', (docs) => (Array.isArray(docs) ? docs.forEach(add) : add(docs)));
  coll.on('delete', (docs) => (Array.isArray(docs) ? docs.forEach(remove) : remove(docs)));
  // Maintaining the binary indices on every insert, update and remove cost more than the queries they served.
  coll.adaptiveBinaryIndices = false;
  store.scapiQueueIndex = index;
  return index;
}

function messagesOf(index, account, queue) {
  return index.queues.get(keyOf(account, queue)) || new Set();
}

// Removes the queue's expired messages; skipped while none can have expired (the earliest expiry is a lower bound).
function clearExpired(store, index, account, queue) {
  const key = keyOf(account, queue);
  const now = Date.now();
  if (!(index.minExpiry.get(key) <= now)) return;
  let next = Infinity;
  const expired = [];
  for (const doc of messagesOf(index, account, queue)) {
    const expiry = Number(new Date(doc.expirationTime));
    if (expiry <= now) expired.push(doc);
    else if (expiry < next) next = expiry;
  }
  index.minExpiry.set(key, next);
  if (expired.length > 0) index.coll.remove(expired);
}

// The n visible messages Azurite would return: timeNextVisible ascending, then insertion order ($loki).
function visible(index, account, queue, queryTime, n) {
  const docs = [];
  for (const doc of messagesOf(index, account, queue)) if (doc.timeNextVisible <= queryTime) docs.push(doc);
  docs.sort((a, b) => a.timeNextVisible - b.timeNextVisible || a.$loki - b.$loki);
  return docs.slice(0, n);
}

function findMessage(index, account, queue, messageId) {
  return index.byId.get(`${keyOf(account, queue)}\n${messageId}`);
}

// Every queue message's body is an extent; the extent store's garbage collection deletes the unreferenced ones one by
// one with findAndRemove, and LokiJS rebuilds (sorts) the collection's binary index on every such batch removal:
// O(n log n) per deleted extent. Under a task hub's traffic that kept the event loop busy for minutes, with every queue
// request waiting behind it. Extents are looked up by id from a map kept from the collection's events instead.
function extentIndexOf(store) {
  const coll = store.db.getCollection(store.EXTENTS_COLLECTION);
  if (store.scapiExtentIndex && store.scapiExtentIndex.coll === coll) return store.scapiExtentIndex;
  const index = { coll, byId: new Map() };
  const add = (doc) => index.byId.set(doc.id, doc);
  const remove = (doc) => {
    if (index.byId.get(doc.id) === doc) index.byId.delete(doc.id);
  };
  for (const doc of coll.data) add(doc);
  coll.on('insert', (docs) => (Array.isArray(docs) ? docs.forEach(add) : add(docs)));
  coll.on('delete', (docs) => (Array.isArray(docs) ? docs.forEach(remove) : remove(docs)));
  coll.adaptiveBinaryIndices = false;
  store.scapiExtentIndex = index;
  return index;
}

function installExtentIndex(dist) {
  const { default: Extents } = require(path.join(dist, 'common', 'persistence', 'LokiExtentMetadataStore.js'));
  Extents.prototype.updateExtent = async function (extent) {
    const index = extentIndexOf(this);
    const doc = index.byId.get(extent.id);
    if (!doc) {
      index.coll.insert(extent);
      return;
    }
    // As Azurite does (its field names included).
    doc.size = extent.size;
    doc.LastModifyInMS = extent.lastModifiedInMS;
    index.coll.update(doc);
  };
  Extents.prototype.deleteExtent = async function (extentId) {
    const index = extentIndexOf(this);
    const doc = index.byId.get(extentId);
    if (doc) index.coll.remove(doc);
  };
  Extents.prototype.getExtentLocationId = async function (extentId) {
    return extentIndexOf(this).byId.get(extentId).locationId;
  };
}

function install(dist) {
  installExtentIndex(dist);
  const { default: Store } = require(path.join(dist, 'queue', 'persistence', 'LokiQueueMetadataStore.js'));
  const { default: Errors } = require(path.join(dist, 'queue', 'errors', 'StorageErrorFactory.js'));
  const requestId = (context) => (context ? context.contextID : undefined);

  Store.prototype.clearExpiredMessages = async function (account, queue, context) {
    this.checkQueueExist(account, queue, context);
    clearExpired(this, indexOf(this), account, queue);
  };

  Store.prototype.getMessagesCount = async function (account, queue, context) {
    this.checkQueueExist(account, queue, context);
    return messagesOf(indexOf(this), account, queue).size;
  };

  Store.prototype.peekMessages = async function (account, queue, numOfMessages, queryDate, context) {
    this.checkQueueExist(account, queue, context);
    const index = indexOf(this);
    clearExpired(this, index, account, queue);
    const queryTime = queryDate ? queryDate.getTime() : Date.now();
    return visible(index, account, queue, queryTime, numOfMessages === undefined ? 1 : numOfMessages).map((doc) => this.messageCopy(doc));
  };

  Store.prototype.getMessages = async function (account, queue, timeNextVisible, popReceipt, numOfMessages, queryDate, context) {
    this.checkQueueExist(account, queue, context);
    const index = indexOf(this);
    clearExpired(this, index, account, queue);
    const queryTime = queryDate ? queryDate.getTime() : Date.now();
    const docs = visible(index, account, queue, queryTime, numOfMessages === undefined || numOfMessages < 1 ? 1 : numOfMessages);
    const hiddenUntil = timeNextVisible.getTime();
    for (const doc of docs) {
      doc.timeNextVisible = hiddenUntil;
      doc.popReceipt = popReceipt;
      doc.dequeueCount = Number(doc.dequeueCount) + 1;
    }
    if (docs.length > 0) index.coll.update(docs);
    return docs.map((doc) => this.messageCopy(doc));
  };

  Store.prototype.deleteMessage = async function (account, queue, messageId, validatingPopReceipt, context) {
    this.checkQueueExist(account, queue, context);
    const index = indexOf(this);
    clearExpired(this, index, account, queue);
    const doc = findMessage(index, account, queue, messageId);
    if (!doc) throw Errors.getMessageNotFound(requestId(context));
    if (doc.popReceipt !== validatingPopReceipt) throw Errors.getPopReceiptMismatch(requestId(context));
    index.coll.remove(doc);
  };

  Store.prototype.updateMessage = async function (message, validatingPopReceipt, context) {
    this.checkQueueExist(message.accountName, message.queueName, context);
    const index = indexOf(this);
    clearExpired(this, index, message.accountName, message.queueName);
    const doc = findMessage(index, message.accountName, message.queueName, message.messageId);
    if (!doc) throw Errors.getMessageNotFound(requestId(context));
    if (doc.popReceipt !== validatingPopReceipt) throw Errors.getPopReceiptMismatch(requestId(context));
    doc.popReceipt = message.popReceipt;
    doc.timeNextVisible = message.timeNextVisible.getTime();
    if (message.persistency !== undefined) doc.persistency = message.persistency;
    index.coll.update(doc);
  };
}

module.exports = { install };
