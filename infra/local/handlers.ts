// Each handler group's Lambda handler, built on a Context: the same functions infra/cloud deploys one per group.
import type { Context } from '../../functions/context';
import { createHandler as callbacksHandler } from '../../functions/handlers/callbacks';
import { createHandler as campaignsHandler } from '../../functions/handlers/campaigns';
import { createHandler as meHandler } from '../../functions/handlers/me';
import { createHandler as prefectureHandler } from '../../functions/handlers/prefecture';
import { createHandler as publishHandler } from '../../functions/handlers/publish';
import { createHandler as submissionsHandler } from '../../functions/handlers/submissions';
import type { HandlerGroup } from '../../functions/routes';
import type { LambdaHandler } from './server';

export const HANDLER_FACTORIES: Record<HandlerGroup, (getContext: () => Context) => LambdaHandler> = {
  me: meHandler,
  campaigns: campaignsHandler,
  publish: publishHandler,
  submissions: submissionsHandler,
  prefecture: prefectureHandler,
  callbacks: callbacksHandler,
};
