;
;
export { makeWav } from './make-wav.js';
;
