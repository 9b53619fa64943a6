// Response/request schemas shared by routes; the OpenAPI document is generated from them.
import { z } from '@hono/zod-openapi';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string().optional(),
  })
  .openapi('Problem');

export const DiagnosticSchema = z
  .object({
    code: z.string(),
    severity: z.enum(['error', 'warning']),
    message: z.string(),
    elementId: z.string().optional(),
    elementName: z.string().optional(),
    line: z.number().optional(),
    column: z.number().optional(),
  })
  .openapi('Diagnostic');

export const DefinitionSummarySchema = z
  .object({
    key: z.string(),
    version: z.number(),
    hash: z.string(),
    name: z.string().optional(),
    deployer: z.string(),
    deployedAt: z.string(),
    /** A BPMN process, or a DMN model whose decisions business rule tasks call. */
    kind: z.enum(['process', 'decisions']),
  })
  .openapi('DefinitionSummary');

export const StepRecordSchema = z
  .object({
    applicationId: z.string(),
    elementId: z.string(),
    elementInstanceId: z.string(),
    elementName: z.string().optional(),
    actor: z.string(),
    decision: z.string(),
    dataHash: z.string(),
    seq: z.number(),
    txId: z.string(),
    timestamp: z.string(),
    prevHash: z.string(),
    hash: z.string(),
    reasons: z.array(z.string()).optional(),
    blockNumber: z.number().optional(),
  })
  .openapi('StepRecord');

const statusTitles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  422: 'Invalid request',
  503: 'Unavailable',
};

/** An OpenAPI response entry with a JSON body. */
export function jsonResponse<T>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}

/** OpenAPI entries for the problem+json errors a route can return. */
export function problemResponses<S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: statusTitles[s] ?? 'Error',
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
    ]),
  ) as Record<
    S,
    { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }
  >;
}
