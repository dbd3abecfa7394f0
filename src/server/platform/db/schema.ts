// Every table, in one place for drizzle-kit and the typed client. Tables live in their module.
export * from '../../modules/analytics/analytics.schema.ts';
export * from '../../modules/campaigns/campaigns.schema.ts';
export * from '../../modules/cases/cases.schema.ts';
export * from '../../modules/channels/channels.schema.ts';
export * from '../../modules/conversations/conversations.schema.ts';
export * from '../../modules/intelligence/intelligence.schema.ts';
export * from '../../modules/listening/listening.schema.ts';
export * from '../../modules/people/people.schema.ts';
export * from '../../modules/responses/responses.schema.ts';
export * from '../../modules/routing/routing.schema.ts';
export * from '../../modules/users/users.schema.ts';
export * from './platform.schema.ts';
