/** The findings API behind the stack's HTTP API (IAM-authorized). */
import { apiFunction } from '../../shared/aws/compose-operations';

export const handler = apiFunction();
