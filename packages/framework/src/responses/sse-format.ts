/**
 * The text of one server-sent event, as the HTML standard's event-stream format reads it
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
 */
import { describeValue } from '../arguments';

/** One event's fields; `data` that is not a string is sent as JSON. */
export interface EventFields {
  /** The payload: a string as it is (each line its own `data:` line), anything else as JSON. */
  data?: unknown;
  /** The event type (`addEventListener(type)`); the browser's default is `message`. */
  event?: string | undefined;
  /** The last event ID the browser sends back as `Last-Event-ID` when it reconnects. */
  id?: string | number | undefined;
  /** How long the browser waits before reconnecting, in milliseconds. */
  retry?: number | undefined;
  /** A comment line (`: text`), which browsers ignore: a keep-alive or a note. */
  comment?: string | undefined;
}

/** A string is the data of a `message` event; an object sets each field it has. */
export type ServerSentEvent = string | EventFields;

const LINE_BREAK = /\r\n|\r|\n/;

/** The bytes of one event, ending with the blank line that dispatches it. */
export function formatEvent(event: ServerSentEvent): string {
  if (typeof event === 'string') return `${field('data', event)}\n`;
  if (typeof event !== 'object' || event === null || Array.isArray(event) || event instanceof Uint8Array) {
    throw new TypeError(`an event is a string (its data) or an object { data, event, id, retry, comment }, got ${describe(event)}`);
  }
  let text = '';
  if (event.comment !== undefined) text += field('', event.comment);
  if (event.event !== undefined) text += `event: ${singleLine('event', event.event)}\n`;
  if (event.id !== undefined) text += `id: ${singleLine('id', String(event.id))}\n`;
  if (event.retry !== undefined) {
    if (!Number.isInteger(event.retry) || event.retry < 0) throw new TypeError(`an event's retry is a whole number of milliseconds, got ${String(event.retry)}`);
    text += `retry: ${event.retry}\n`;
  }
  if (event.data !== undefined) text += field('data', typeof event.data === 'string' ? event.data : json(event.data));
  if (text === '') throw new TypeError('an event object needs at least one of data, event, id, retry or comment');
  return `${text}\n`;
}

/** `name: line` for each line of `value` (a comment has the empty name). */
function field(name: string, value: string): string {
  let text = '';
  for (const line of value.split(LINE_BREAK)) text += `${name}: ${line}\n`;
  return text;
}

/** A field a line break would split into two (and a NUL makes browsers ignore an id). */
function singleLine(name: string, value: string): string {
  if (/[\r\n]/.test(value) || (name === 'id' && value.includes('\0'))) {
    throw new TypeError(`an event's ${name} must be one line (no CR or LF${name === 'id' ? ', no NUL' : ''}), got ${JSON.stringify(value)}`);
  }
  return value;
}

function json(data: unknown): string {
  const text = JSON.stringify(data) as string | undefined;
  if (text === undefined) throw new TypeError(`an event's data must be a string or a JSON value, got ${typeof data}`);
  return text;
}

function describe(value: unknown): string {
  return value instanceof Uint8Array ? 'a Uint8Array (encode it as text: a string, or base64)' : describeValue(value);
}
