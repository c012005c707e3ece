// The faults the local test server can inject (error statuses, Retry-After, raw bodies, hangs,
// dropped connections, lost or truncated answers, rejected batch events): their validation, and
// the queue that matches them to requests, so tests can exercise the SDK's retry and error handling.

import { isNumber, isPlainObject, reply } from './records.mjs';

const FAULT_KEYS = ['path', 'method', 'count', 'status', 'retryAfter', 'body', 'hangMs', 'drop',
  'dropAfterProcessing', 'resetMidResponse', 'rejectEvents'];
const FAULT_FLAGS = ['drop', 'dropAfterProcessing', 'resetMidResponse'];

/** Validates a fault description and returns a normalised copy; throws TypeError if invalid. */
function normalizeFault(input) {
  if (!isPlainObject(input)) throw new TypeError('a fault must be an object');
  const unknown = Object.keys(input).filter((key) => !FAULT_KEYS.includes(key));
  if (unknown.length > 0) throw new TypeError(`unknown fault key(s) ${unknown.join(', ')} (known: ${FAULT_KEYS.join(', ')})`);
  if (typeof input.path !== 'string' || !input.path.startsWith('/')) {
    throw new TypeError('fault.path is required and must be a path starting with "/"');
  }
  const fault = { path: input.path, count: input.count ?? 1 };
  if (input.method !== undefined) {
    if (typeof input.method !== 'string' || input.method === '') throw new TypeError('fault.method must be a string');
    fault.method = input.method.toUpperCase();
  }
  if (!Number.isInteger(fault.count) || fault.count < 1) throw new TypeError('fault.count must be an integer >= 1');
  if (input.status !== undefined) {
    if (!Number.isInteger(input.status) || input.status < 200 || input.status > 599) {
      throw new TypeError('fault.status must be an integer from 200 to 599');
    }
    fault.status = input.status;
  }
  if (input.retryAfter !== undefined) {
    if (typeof input.retryAfter !== 'string' && !isNumber(input.retryAfter)) {
      throw new TypeError('fault.retryAfter must be a string');
    }
    fault.retryAfter = String(input.retryAfter);
  }
  if (input.body !== undefined) {
    if (typeof input.body !== 'string') throw new TypeError('fault.body must be a string (the raw body to send)');
    fault.body = input.body;
  }
  if (input.hangMs !== undefined) {
    if (!isNumber(input.hangMs) || input.hangMs < 0) throw new TypeError('fault.hangMs must be a number >= 0');
    fault.hangMs = input.hangMs;
  }
  if (input.rejectEvents !== undefined) {
    if (!Array.isArray(input.rejectEvents) || !input.rejectEvents.every((i) => Number.isInteger(i) && i >= 0)) {
      throw new TypeError('fault.rejectEvents must be an array of event indexes (a batch partly fails)');
    }
    fault.rejectEvents = input.rejectEvents;
  }
  for (const flag of FAULT_FLAGS) {
    if (input[flag] === undefined) continue;
    if (typeof input[flag] !== 'boolean') throw new TypeError(`fault.${flag} must be a boolean`);
    if (input[flag]) fault[flag] = true;
  }
  checkFaultCombination(fault);
  return fault;
}

function checkFaultCombination(fault) {
  const answers = fault.status !== undefined || fault.body !== undefined;
  if (fault.drop && (answers || fault.dropAfterProcessing || fault.resetMidResponse)) {
    throw new TypeError('fault.drop sends no answer: it cannot be combined with status, body, dropAfterProcessing or resetMidResponse');
  }
  if (fault.dropAfterProcessing && (answers || fault.resetMidResponse)) {
    throw new TypeError('fault.dropAfterProcessing cannot be combined with status, body or resetMidResponse');
  }
}

/** Pending faults, matched in insertion order; each is used up after `count` matches. */
export function createFaultQueue() {
  let pending = [];
  return {
    add(input) {
      const fault = normalizeFault(input);
      pending.push({ fault, remaining: fault.count });
      return structuredClone(fault);
    },
    take(method, path) {
      const entry = pending.find(({ fault }) => fault.path === path && (!fault.method || fault.method === method));
      if (!entry) return null;
      entry.remaining -= 1;
      if (entry.remaining === 0) pending = pending.filter((e) => e !== entry);
      return structuredClone(entry.fault);
    },
    list: () => pending.map(({ fault, remaining }) => ({ ...structuredClone(fault), remaining })),
    clear() {
      pending = [];
    },
  };
}

/** The answer a fault imposes instead of processing, or null if the request is processed. */
export function injectedReply(fault) {
  if (!fault || (fault.status === undefined && fault.body === undefined)) return null;
  const status = fault.status ?? 200;
  return fault.body !== undefined ? { status, text: fault.body, headers: {} } : reply(status, { error: 'injected fault' });
}
