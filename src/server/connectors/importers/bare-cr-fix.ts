import { Transform } from 'node:stream';

/**
 * Turns a bare `\r` (not part of CRLF) inside the stream into a space, so CSV parsers see only
 * CRLF/LF record ends. A `\r` at the end of a chunk waits for the next chunk to decide.
 */
export function fixBareCarriageReturns(): Transform {
  let pendingCR = false;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      let s = chunk.toString('utf8');
      if (pendingCR) {
        s = `\r${s}`;
        pendingCR = false;
      }
      if (s.endsWith('\r')) {
        pendingCR = true;
        s = s.slice(0, -1);
      }
      cb(null, s.replace(/\r(?!\n)/g, ' '));
    },
    flush(cb) {
      cb(null, pendingCR ? '\n' : '');
    },
  });
}
