#!/usr/bin/env node
// Starts @vercel/cosmosdb-server on loopback with HTTP keep-alive (the package's own CLI closes every
// connection, which makes each SDK call pay a TLS handshake) and, with --data, persists the account
// to a JSON snapshot so a restart of the local platform keeps its Cosmos data.
"use strict";

const fs = require("fs");
const path = require("path");

const args = { host: "127.0.0.1", port: 8081, data: null, parentPid: null };
const argv = process.argv.slice(2);
while (argv.length) {
  const key = argv.shift();
  if (key === "--host") args.host = argv.shift();
  else if (key === "--port") args.port = parseInt(argv.shift(), 10);
  else if (key === "--data") args.data = argv.shift();
  else if (key === "--parent-pid") args.parentPid = parseInt(argv.shift(), 10);
  else {
    console.error(`unknown argument ${key}`);
    process.exit(2);
  }
}

if (!["127.0.0.1", "localhost", "::1"].includes(args.host)) {
  console.error("the Cosmos server only listens on loopback");
  process.exit(2);
}

// Capture the account the server creates when it starts listening, to snapshot and restore it.
const accountModule = require("@vercel/cosmosdb-server/lib/account");
const OriginalAccount = accountModule.default;
let account = null;
accountModule.default = class CapturedAccount extends OriginalAccount {
  constructor(...ctorArgs) {
    super(...ctorArgs);
    account = this;
  }
};
// A point read of an item that is not in the given partition (missing, or another tenant's) dereferences
// an undefined document in the package's handler and answers 500; Azure answers 404 NotFound. Answer as
// Azure does, so the platform's adapters use plain point reads (ReadItem) in both places.
const readDocumentModule = require("@vercel/cosmosdb-server/lib/handler/read-document");
const originalReadDocument = readDocumentModule.default;
const { parsePartitionKey } = require("@vercel/cosmosdb-server/lib/utils/get-partition-from-header");
readDocumentModule.default = (acct, req, res, params) => {
  const collection = acct.database(params.dbId).collection(params.collId);
  const header = req.headers["x-ms-documentdb-partitionkey"];
  if (collection.read() && header) {
    let partition;
    try {
      partition = parsePartitionKey(Array.isArray(header) ? header[0] : header, params.docId);
    } catch {
      partition = undefined;
    }
    if (partition !== undefined && !collection.document(params.docId, partition).read()) {
      res.statusCode = 404;
      return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
    }
  }
  return originalReadDocument(acct, req, res, params);
};
// Containers use hierarchical partition keys (/tenantId, /id), so no tenant is capped at one logical
// partition. A query given only the tenant (a prefix key) is planned by the SDK: it asks the gateway for a
// query plan, then queries the effective-partition-key range of that tenant. The package knows neither, so
// the wrapper answers the plan for the simple filter queries the platform makes (the range the SDK sent,
// nothing to merge or sort) and refuses what it cannot plan (ORDER BY, TOP, OFFSET, DISTINCT, GROUP BY,
// aggregates), and lets the range query through as a cross-partition query: the platform's queries always
// filter on the tenant in SQL as well (a convention its tests hold), so the result is Azure's.
const rawBody = require("raw-body");
const UNPLANNED = /(?<![@.\w])((ORDER|GROUP)\s+BY|TOP|OFFSET|DISTINCT)\b|(?<![@.\w])(COUNT|SUM|AVG|MIN|MAX)\s*\(/i;
const queryDocumentsModule = require("@vercel/cosmosdb-server/lib/handler/query-documents");
const originalQueryDocuments = queryDocumentsModule.default;
queryDocumentsModule.default = async (acct, req, res, params) => {
  const start = req.headers["x-ms-start-epk"];
  const end = req.headers["x-ms-end-epk"];
  if (String(req.headers["x-ms-cosmos-is-query-plan-request"]).toLowerCase() === "true") {
    const body = JSON.parse((await rawBody(req)).toString());
    if (UNPLANNED.test(body.query || "")) {
      res.statusCode = 400;
      return { code: "BadRequest", message: "The local Cosmos server plans filter queries only (no ORDER BY, TOP, OFFSET, DISTINCT, GROUP BY or aggregates)." };
    }
    res.statusCode = 200;
    return {
      partitionedQueryExecutionInfoVersion: 2,
      queryInfo: {
        distinctType: "None", top: null, offset: null, limit: null, orderBy: [], orderByExpressions: [],
        groupByExpressions: [], groupByAliases: [], aggregates: [], groupByAliasToAggregateType: {},
        rewrittenQuery: "", hasSelectValue: false, dCountInfo: null, hasNonStreamingOrderBy: false,
      },
      queryRanges: [{ min: start || "", max: end || "FF", isMinInclusive: true, isMaxInclusive: false }],
    };
  }
  if (start !== undefined || end !== undefined) {
    req.headers["x-ms-documentdb-query-enablecrosspartition"] = "true";
  }
  return originalQueryDocuments(acct, req, res, params);
};
const { createHttpsServer } = require("@vercel/cosmosdb-server");

const SYSTEM_FIELDS = ["_rid", "_self", "_etag", "_ts", "_docs", "_sprocs", "_triggers", "_udfs", "_conflicts"];
const strip = (data) => {
  const copy = { ...data };
  for (const field of SYSTEM_FIELDS) delete copy[field];
  return copy;
};

function snapshot() {
  const databases = [];
  for (const db of account.databases._data.values()) {
    const collections = [];
    for (const coll of db.collections._data.values()) {
      collections.push({
        definition: strip(coll.read()),
        documents: [...coll.documents._data.values()].map((d) => strip(d.read())),
      });
    }
    databases.push({ definition: strip(db.read()), collections });
  }
  return { version: 1, databases };
}

function restore(state) {
  for (const db of state.databases) {
    const database = account.databases.create(db.definition);
    const dbItem = account.database(database.id);
    for (const coll of db.collections) {
      dbItem.collections.create(coll.definition);
      const collItem = dbItem.collection(coll.definition.id);
      for (const doc of coll.documents) collItem.documents.create(doc);
    }
  }
}

let lastWritten = null;
function persist() {
  if (!args.data || !account) return;
  const json = JSON.stringify(snapshot());
  if (json === lastWritten) return;
  fs.mkdirSync(path.dirname(args.data), { recursive: true });
  const temp = `${args.data}.tmp`;
  fs.writeFileSync(temp, json);
  fs.renameSync(temp, args.data); // atomic: a crash never leaves half a snapshot
  lastWritten = json;
}

const server = createHttpsServer({ keepAlive: true });
server.keepAliveTimeout = 65000;
server.listen(args.port, args.host, () => {
  if (args.data && fs.existsSync(args.data)) {
    restore(JSON.parse(fs.readFileSync(args.data, "utf8")));
    lastWritten = JSON.stringify(snapshot());
  }
  console.log(`Ready to accept HTTPS connections at ${args.host}:${server.address().port}`);
});

if (args.data) setInterval(persist, 2000).unref();

if (args.parentPid) {
  // Tests start this process; if the test host dies without cleaning up, do not linger.
  setInterval(() => {
    try {
      process.kill(args.parentPid, 0);
    } catch {
      process.exit(0);
    }
  }, 1000).unref();
}

const shutdown = () => {
  try {
    persist();
  } finally {
    process.exit(0);
  }
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
