import type { CacheEntry } from './entry.ts';

/** Which segment of W-TinyLFU holds a node. */
export type Region = 'window' | 'probation' | 'protected';

/** One L1 entry: its key, value, approximate size and links in its segment's list. */
export interface StoreNode {
  readonly key: string;
  readonly hash: number;
  entry: CacheEntry;
  size: number;
  region: Region;
  prev: StoreNode | null;
  next: StoreNode | null;
}

/**
 * An intrusive doubly linked list of {@link StoreNode}s, most recently used at the head,
 * tracking its length and total size. Every operation is O(1) and allocation-free.
 */
export class NodeList {
  head: StoreNode | null = null;
  tail: StoreNode | null = null;
  count = 0;
  bytes = 0;

  pushHead(node: StoreNode): void {
    node.prev = null;
    node.next = this.head;
    if (this.head === null) this.tail = node;
    else this.head.prev = node;
    this.head = node;
    this.count += 1;
    this.bytes += node.size;
  }

  remove(node: StoreNode): void {
    if (node.prev === null) this.head = node.next;
    else node.prev.next = node.next;
    if (node.next === null) this.tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = null;
    node.next = null;
    this.count -= 1;
    this.bytes -= node.size;
  }

  moveToHead(node: StoreNode): void {
    if (this.head === node) return;
    this.remove(node);
    this.pushHead(node);
  }

  clear(): void {
    this.head = null;
    this.tail = null;
    this.count = 0;
    this.bytes = 0;
  }
}
