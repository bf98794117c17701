/** The weekly digest: the feature's public face. */

export { DIGEST_HELP } from './grammar.js';
export { type BuiltDigest, computeDigestFromStore, type DigestJob } from './job.js';
export { createDigest, type Digest } from './slack.js';
