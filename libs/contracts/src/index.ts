// Public API of @oo/contracts: the generated messages for every event, and the subject map.
export * from './gen/oo/signals/v1/tips_pb';
export * from './gen/oo/signals/v1/tasks_pb';
export * from './gen/oo/signals/v1/calendar_pb';
export * from './gen/oo/integrations/v1/connections_pb';
export * from './gen/oo/notify/v1/notify_pb';
export * from './gen/oo/signals/v1/notifications_pb';
export * from './gen/oo/users/v1/users_pb';
export * from './gen/oo/profile/v1/profile_pb';
export * from './gen/oo/exports/v1/exports_pb';
export * from './gen/oo/ml/v1/policies_pb';
export { isSubject, subjectNames, subjects } from './subjects';
export type { Subject, SubjectMessage, SubjectSchema } from './subjects';
