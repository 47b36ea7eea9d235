// The register's own storage in IndexedDB: settings and session (`kv`), and the queue of
// sales not yet recorded by the server (`outbox`, in the order they were made).

const NAME = "tillflow-register";
const VERSION = 1;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export async function openDb() {
  const request = indexedDB.open(NAME, VERSION);
  request.onupgradeneeded = () => {
    const db = request.result;
    db.createObjectStore("kv");
    db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
  };
  return new Store(await promised(request));
}

export class Store {
  constructor(db) { this.db = db; }

  async run(name, mode, action) {
    const transaction = this.db.transaction(name, mode);
    const done = new Promise((resolve, reject) => {
      transaction.oncomplete = resolve;
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
    const result = await promised(action(transaction.objectStore(name)));
    await done;
    return result;
  }

  get(key) { return this.run("kv", "readonly", (s) => s.get(key)); }
  set(key, value) { return this.run("kv", "readwrite", (s) => s.put(value, key)); }
  remove(key) { return this.run("kv", "readwrite", (s) => s.delete(key)); }

  queue(entry) { return this.run("outbox", "readwrite", (s) => s.add(entry)); }
  queued() { return this.run("outbox", "readonly", (s) => s.getAll()); }
  update(entry) { return this.run("outbox", "readwrite", (s) => s.put(entry)); }
  dequeue(seq) { return this.run("outbox", "readwrite", (s) => s.delete(seq)); }
}
