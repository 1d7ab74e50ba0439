// Local stand-ins for the task providers oO connects to, each following its provider's
// documented protocol (endpoints, status codes, pagination, rate-limit headers, token errors),
// with a control surface for tests to change what the provider holds and to inject failures.
export * from './todoist/todoist-server';
export * from './google-tasks/google-tasks-server';
export * from './ics/ics-server';
export * from './smtp/smtp-server';
export * from './push/push-service-server';
