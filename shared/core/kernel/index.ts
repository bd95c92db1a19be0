/**
 * The control kernel: the helpers every area's controls share, one module per concern, each total
 * (a missing field is a normal case, never an exception). It imports only core/model; controls,
 * findings and settings import it, never the other way round.
 */
export * from './values';
export * from './records';
export * from './ec2';
export * from './arn';
export * from './principals';
export * from './sources';
export * from './patterns';
export * from './cidr';
export * from './policy';
export * from './task-definition';
export * from './secrets';
