/** The findings API behind the stack's HTTP API (IAM-authorized). */
import { apiFunction } from '../../shared/shells/lambda/operations';

export const handler = apiFunction();
