export * from './email.service';
export * from './email-outbox.worker';
export * from './email.module';
export * from './email-privacy.service';
export * from './email-mailbox.service';
export * from './templates/email-templates';
export { escapeHtml as escapeEmailHtml, type TemplateVars } from './templates/fill';
export { TEMPLATES, type TemplateName } from './templates/templates';
