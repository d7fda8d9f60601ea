/**
 * The page's single state, its listeners, and its mirror in the URL hash. A change made by a
 * form updates the outputs only (`rebuild: false`, so the field keeps focus); a change that
 * replaces the state (a preset, a loaded file, a pasted link) rebuilds the forms too.
 */
import { debounce } from './dom.js';
import { normalizeState, type PageState } from './state.js';
import { decodeHash, encodeHash } from './url-state.js';

export interface ChangeInfo {
  /** Rebuild forms from the state (it was replaced, not typed). */
  readonly rebuild: boolean;
}

export interface Store {
  get(): PageState;
  set(next: PageState, info?: Partial<ChangeInfo>): void;
  update(fn: (s: PageState) => PageState, info?: Partial<ChangeInfo>): void;
  subscribe(fn: (s: PageState, info: ChangeInfo) => void): void;
  /** The link that reproduces the current view. */
  link(): Promise<string>;
  /** Reads the state from the current hash (after a pasted link). */
  loadFromHash(): Promise<void>;
  /** A message for a link that could not be read, if any. */
  readonly hashError: string | undefined;
}

/** Creates the store, reading the initial state from `location.hash`. */
export async function createStore(): Promise<Store> {
  let state: PageState;
  let hashError: string | undefined;
  try {
    state = normalizeState(await decodeHash(location.hash));
  } catch (error) {
    hashError = (error as Error).message;
    state = normalizeState(undefined);
  }
  const listeners: ((s: PageState, info: ChangeInfo) => void)[] = [];
  let written = location.hash.replace(/^#/, '');
  const writeHashNow = async (): Promise<void> => {
    const h = await encodeHash(state);
    if (h === written) return;
    written = h;
    history.replaceState(null, '', `#${h}`);
  };
  const writeHash = debounce(() => void writeHashNow(), 150);
  const store: Store = {
    get: () => state,
    set(next, info) {
      state = next;
      const full: ChangeInfo = { rebuild: info?.rebuild ?? false };
      for (const fn of listeners) fn(state, full);
      writeHash();
    },
    update(fn, info) {
      store.set(fn(state), info);
    },
    subscribe(fn) {
      listeners.push(fn);
    },
    async link() {
      return `${location.href.replace(/#.*$/, '')}#${await encodeHash(state)}`;
    },
    async loadFromHash() {
      const h = location.hash.replace(/^#/, '');
      if (h === written) return;
      written = h;
      try {
        store.set(normalizeState(await decodeHash(location.hash)), { rebuild: true });
      } catch (error) {
        hashError = (error as Error).message;
      }
    },
    get hashError() {
      return hashError;
    },
  };
  return store;
}
