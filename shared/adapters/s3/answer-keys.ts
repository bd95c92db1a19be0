/**
 * Where large answers live in the answers bucket, shared by the S3 adapter (which writes them) and the
 * stack (whose api role may write and read there only). Free of the SDK, so the stack's build stays so.
 */

/** Every answer's key starts with this, followed by 128 random bits in hex. */
export const ANSWER_KEY_PREFIX = 'answers/';
