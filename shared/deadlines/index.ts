/** Remediation deadlines: an open finding past its deadline is escalated one level and notified again, once. */
export * from './deadline';
export * from './service';
export * from './sweep-handler';
